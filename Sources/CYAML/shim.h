#ifndef SWIFTLET_CYAML_SHIM_H
#define SWIFTLET_CYAML_SHIM_H
/* libyaml (Debian's libyaml-dev, 0.2.5) for KubeTypes' YAML reader and writer: the event parser and the event
   emitter only, never the document loader, so that anchors, aliases and nesting stay under Swiftlet's limits.
   Swift reads the unions of yaml_event_t directly, so nothing needs wrapping here. */
#include <yaml.h>
#endif
