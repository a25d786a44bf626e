/*
 * The Swiftlet test bed's pause program: the first process of every pod sandbox. It holds the pod's namespaces
 * open, reaps any child that gets re-parented to it (it is PID 1 of the sandbox's PID namespace), and exits 0 on
 * SIGTERM or SIGINT so that stopping a sandbox is quick and clean. Built with `gcc -static -O2`.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void terminate(int signo) {
    (void)signo;
    _exit(0);
}

static void reap(int signo) {
    (void)signo;
    int saved = errno; /* waitpid may clobber errno of the interrupted code */
    while (waitpid(-1, NULL, WNOHANG) > 0) {
    }
    errno = saved;
}

static int install(int signo, void (*handler)(int)) {
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_handler = handler;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    return sigaction(signo, &action, NULL);
}

int main(void) {
    if (getpid() != 1) {
        /* Still works, but a sandbox's pause should be PID 1; say so once for whoever reads the log. */
        fprintf(stderr, "pause: warning: not running as PID 1\n");
    }
    if (install(SIGTERM, terminate) != 0 || install(SIGINT, terminate) != 0 || install(SIGCHLD, reap) != 0) {
        perror("pause: sigaction");
        return 1;
    }
    for (;;) {
        pause();
    }
    /* not reached */
    return 42;
}
