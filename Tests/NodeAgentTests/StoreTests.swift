import Foundation
import Testing

@testable import NodeAgent

@Suite("ObjectStore: CRUD, persistence, quarantine, concurrency")
struct StoreTests {
    @Test("create, get, list, update, delete on a real directory")
    func crud() async throws {
        try await StoreFixtures.withTemporaryDirectory { path in
            let store = try await StoreFixtures.openStore(path)
            let start = try #require(UInt64(await store.currentResourceVersion))

            let a = try await store.create(Widget("default", "a", labels: ["app": "web"], size: 1))
            let b = try await store.create(Widget("kube-system", "b", size: 2))
            let c = try await store.create(Widget("default", "c", size: 3))
            let versions = try [a, b, c].map { try #require(UInt64($0.resourceVersion ?? "")) }
            #expect(versions == versions.sorted() && Set(versions).count == 3)
            #expect(versions[0] > start)
            #expect(await store.currentResourceVersion == c.resourceVersion)

            #expect(await store.get(ObjectKey(namespace: "default", name: "a")) == a)
            #expect(await store.get(ObjectKey(namespace: "default", name: "missing")) == nil)

            let listed = await store.list()
            #expect(listed.items.map(\.objectKey.description) == ["default/a", "default/c", "kube-system/b"])
            #expect(listed.resourceVersion == c.resourceVersion)
            let web = await store.list(where: { $0.labels["app"] == "web" })
            #expect(web.items == [a])

            // The encoded fast path serves exactly the bytes of each object's encoding, in list order.
            let encoded = await store.listEncoded()
            #expect(try encoded.items == [a, c, b].map { try Widget.encodeForStore($0) })
            #expect(await store.getEncoded(b.objectKey) == (try Widget.encodeForStore(b)))
            let joined = await store.listEncodedJoined()
            #expect(joined.count == 3 && joined.resourceVersion == c.resourceVersion)
            #expect(joined.json == Array(encoded.items.joined(separator: Array(",".utf8))))
            #expect(try await store.listEncoded(where: { $0.size >= 2 }).items == [c, b].map { try Widget.encodeForStore($0) })

            do {
                _ = try await store.create(Widget("default", "a"))
                Issue.record("a duplicate create succeeded")
            } catch let error as StoreError {
                #expect(error == .alreadyExists(a.objectKey))
            }

            let grown = try await store.update(a.objectKey) { $0.size = 10 }
            #expect(grown.size == 10)
            #expect(try #require(UInt64(grown.resourceVersion ?? "")) > versions[2])
            #expect(await store.get(a.objectKey) == grown)

            // A mutation that changes nothing is not written and keeps the version.
            let same = try await store.update(a.objectKey) { $0.size = 10 }
            #expect(same == grown)
            #expect(await store.currentResourceVersion == grown.resourceVersion)

            // Optimistic concurrency, identity protection, missing keys.
            await #expect(throws: StoreError.conflict(a.objectKey, expected: "1", actual: grown.resourceVersion ?? "")) {
                _ = try await store.update(a.objectKey, expectedResourceVersion: "1") { $0.size = 11 }
            }
            await #expect(throws: StoreError.invalidMutation(a.objectKey, reason: "namespace, name and uid cannot change")) {
                _ = try await store.update(a.objectKey) { $0.uid = "other" }
            }
            await #expect(throws: StoreError.notFound(ObjectKey(namespace: "default", name: "zz"))) {
                _ = try await store.update(ObjectKey(namespace: "default", name: "zz")) { $0.size = 1 }
            }
            let checked = try await store.update(a.objectKey, expectedResourceVersion: grown.resourceVersion) {
                $0.size = 12
            }
            #expect(checked.size == 12)

            let deleted = try #require(try await store.delete(b.objectKey))
            #expect(deleted.size == 2)
            #expect(try #require(UInt64(deleted.resourceVersion ?? "")) > UInt64(checked.resourceVersion ?? "") ?? 0)
            #expect(await store.get(b.objectKey) == nil)
            #expect(try await store.delete(b.objectKey) == nil)
            #expect(await store.count == 2)
            let afterDelete = await store.listEncodedJoined()
            #expect(afterDelete.count == 2)
            #expect(try afterDelete.json == Array([checked, c].map { try Widget.encodeForStore($0) }.joined(separator: Array(",".utf8))))
            #expect(!FileManager.default.fileExists(atPath: path + "/" + b.objectKey.fileName))
            #expect(FileManager.default.fileExists(atPath: path + "/" + a.objectKey.fileName))
        }
    }

    @Test("a reopened store sees everything, and versions keep growing and are never reused after deletes")
    func persistenceAcrossReopen() async throws {
        try await StoreFixtures.withTemporaryDirectory { path in
            var highest: UInt64 = 0
            var expected: [Widget] = []
            do {
                let store = try await StoreFixtures.openStore(path)
                for index in 0..<6 {
                    _ = try await store.create(Widget("ns\(index % 2)", "w\(index)", size: index))
                }
                _ = try await store.update(ObjectKey(namespace: "ns0", name: "w0")) { $0.size = 100 }
                let gone1 = try #require(try await store.delete(ObjectKey(namespace: "ns1", name: "w5")))
                let gone2 = try #require(try await store.delete(ObjectKey(namespace: "ns0", name: "w2")))
                highest = try #require(UInt64(gone2.resourceVersion ?? ""))
                #expect(UInt64(gone1.resourceVersion ?? "") ?? 0 < highest)
                expected = await store.list().items
            }
            #expect(expected.count == 4)

            for round in 0..<3 {
                let store = try await StoreFixtures.openStore(path)
                #expect(store.loadProblems.isEmpty)
                let listed = await store.list()
                #expect(listed.items == expected, "round \(round)")
                let base = try #require(UInt64(listed.resourceVersion))
                #expect(base >= highest, "a reopened store must start at or above every version handed out")
                let fresh = try await store.create(Widget("ns9", "round\(round)"))
                let version = try #require(UInt64(fresh.resourceVersion ?? ""))
                #expect(version > highest)
                // Deleting right away: the next run must still never hand this version out again.
                let gone = try #require(try await store.delete(fresh.objectKey))
                highest = try #require(UInt64(gone.resourceVersion ?? ""))
            }
        }
    }

    @Test("corrupt, torn, misplaced and unfinished files are quarantined with a reason; the rest loads")
    func quarantine() async throws {
        try await StoreFixtures.withTemporaryDirectory { path in
            var good: [Widget] = []
            do {
                let store = try await StoreFixtures.openStore(path)
                for index in 0..<3 {
                    good.append(try await store.create(Widget("default", "good\(index)", size: index)))
                }
            }
            var valid = Widget("default", "elsewhere", size: 7)
            valid.resourceVersion = "5"
            let validBytes = try Widget.encodeForStore(valid)
            var unversioned = Widget("default", "noversion")
            unversioned.resourceVersion = nil
            let planted: [String: [UInt8]] = [
                "default_garbage.json": Array("{not json".utf8),
                "default_torn.json": Array(validBytes.prefix(validBytes.count / 2)),
                "default_wrongkey.json": validBytes,
                "default_noversion.json": try Widget.encodeForStore(unversioned),
                ".tmp.default_good0.json.1234abcd": Array("{\"half\":".utf8),
                "default_empty.json": [],
            ]
            for (name, bytes) in planted {
                #expect(FileManager.default.createFile(atPath: path + "/" + name, contents: Data(bytes)))
            }

            let store = try await StoreFixtures.openStore(path)
            #expect(await store.list().items == good)
            let problems = store.loadProblems
            #expect(Set(problems.map(\.name)) == Set(planted.keys))
            #expect(problems.allSatisfy { $0.quarantinedAs?.hasPrefix("quarantine/") == true })
            let wrongKey = try #require(problems.first { $0.name == "default_wrongkey.json" })
            #expect(wrongKey.reason.contains("default/elsewhere"))
            let unfinished = try #require(problems.first { $0.name.hasPrefix(".tmp.") })
            #expect(unfinished.reason.contains("never acknowledged"))

            // Originals are gone from the store directory; each sits in quarantine/ with its reason file.
            for name in planted.keys {
                #expect(!FileManager.default.fileExists(atPath: path + "/" + name))
            }
            let quarantined = try FileManager.default.contentsOfDirectory(atPath: path + "/quarantine")
            #expect(quarantined.count == planted.count * 2)
            for problem in problems {
                let moved = try #require(problem.quarantinedAs)
                let content = try #require(FileManager.default.contents(atPath: path + "/" + moved))
                #expect(Array(content) == planted[problem.name])
                let reason = try String(contentsOfFile: path + "/" + moved + ".reason", encoding: .utf8)
                #expect(reason == problem.reason + "\n")
            }

            // The store works normally afterwards, and a later open finds nothing more to quarantine.
            _ = try await store.create(Widget("default", "after"))
            let again = try await StoreFixtures.openStore(path)
            #expect(again.loadProblems.isEmpty)
            #expect(await again.count == 4)
        }
    }

    @Test("exactly one of 50 concurrent creates of one key wins")
    func concurrentCreates() async throws {
        try await StoreFixtures.withTemporaryDirectory { path in
            let store = try await StoreFixtures.openStore(path)
            let outcomes = await withTaskGroup(of: Result<Widget, StoreError>.self) { group in
                for index in 0..<50 {
                    group.addTask {
                        do {
                            return .success(try await store.create(Widget("default", "contested", size: index)))
                        } catch let error as StoreError {
                            return .failure(error)
                        } catch {
                            return .failure(.io("unexpected \(error)"))
                        }
                    }
                }
                var all: [Result<Widget, StoreError>] = []
                for await outcome in group { all.append(outcome) }
                return all
            }
            let winners = outcomes.compactMap { try? $0.get() }
            #expect(winners.count == 1)
            let key = ObjectKey(namespace: "default", name: "contested")
            let losers = outcomes.filter { if case .failure(.alreadyExists(key)) = $0 { true } else { false } }
            #expect(losers.count == 49)
            #expect(await store.get(key) == winners.first)
            let reopened = try await StoreFixtures.openStore(path)
            #expect(await reopened.get(key) == winners.first)
        }
    }

    @Test("every acknowledged create is already in the directory when create returns (200 rounds)")
    func acknowledgedMeansWritten() async throws {
        try await StoreFixtures.withTemporaryDirectory { path in
            let store = try await StoreFixtures.openStore(path)
            for index in 0..<200 {
                let created = try await store.create(Widget("default", "ack\(index)", size: index))
                // A second, independent reader of the same directory must already find the object, complete.
                let reader = try DurableDirectory(path: path, ioThreads: 1, logger: StoreFixtures.quietLogger)
                let bytes = try #require(try await reader.read(name: created.objectKey.fileName), "round \(index)")
                #expect(try Widget.decodeFromStore(bytes) == created, "round \(index)")
            }
            let reopened = try await StoreFixtures.openStore(path)
            #expect(await reopened.count == 200)
            #expect(reopened.loadProblems.isEmpty)
        }
    }

    @Test("concurrent writes share directory fsyncs (group commit) and all land")
    func groupCommitSharesDirectorySyncs() async throws {
        try await StoreFixtures.withTemporaryDirectory { path in
            let directory = try DurableDirectory(path: path, logger: StoreFixtures.quietLogger)
            let store = try await ObjectStore<Widget>(directory: directory, logger: StoreFixtures.quietLogger)
            let before = directory.directorySyncCount
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<64 {
                    group.addTask { _ = try await store.create(Widget("default", "g\(index)")) }
                }
                try await group.waitForAll()
            }
            let syncs = directory.directorySyncCount - before
            #expect(syncs >= 1)
            #expect(syncs < 64, "64 concurrent creates took \(syncs) directory fsyncs")
            let reopened = try await StoreFixtures.openStore(path)
            #expect(await reopened.count == 64)
        }
    }

    @Test("a failed write is not acknowledged, not applied, not watched, and the key stays usable")
    func failedWrite() async throws {
        let memory = InMemoryPersistence()
        let store = try await ObjectStore<Widget>(directory: memory, logger: StoreFixtures.quietLogger)
        let watch = try await store.watch(fromResourceVersion: nil)
        let key = ObjectKey(namespace: "default", name: "flaky")
        memory.setFailing(key.fileName)
        await #expect(throws: StoreError.io("injected write failure for \(key.fileName)")) {
            _ = try await store.create(Widget("default", "flaky"))
        }
        #expect(await store.get(key) == nil)
        memory.setFailing(key.fileName, false)
        let created = try await store.create(Widget("default", "flaky", size: 3))
        #expect(memory.files[key.fileName] == (try Widget.encodeForStore(created)))
        let events = await StoreFixtures.collect(watch, count: 1)
        #expect(StoreFixtures.describe(events) == ["ADDED default/flaky \(created.resourceVersion ?? "") size=3"])
    }

    @Test("resource versions come from durable reservations and survive restarts")
    func versionReservations() async throws {
        let memory = InMemoryPersistence()
        var last: UInt64 = 0
        for run in 0..<3 {
            let store = try await ObjectStore<Widget>(
                directory: memory, versionBlock: 4, logger: StoreFixtures.quietLogger)
            for index in 0..<10 {
                let created = try await store.create(Widget("r\(run)", "w\(index)"))
                let version = try #require(UInt64(created.resourceVersion ?? ""))
                #expect(version > last)
                last = version
                let reserved = try #require(
                    memory.files[ResourceVersionClock.reservationName].flatMap(ResourceVersionClock.decodeReservation))
                #expect(reserved >= version, "version \(version) handed out beyond the durable reservation")
            }
        }
    }

    @Test("ObjectKey file names cannot escape the directory or collide")
    func fileNames() {
        #expect(ObjectKey(namespace: "default", name: "web-1.a").fileName == "default_web-1.a.json")
        #expect(ObjectKey(namespace: "a_b", name: "c").fileName == "a%5Fb_c.json")
        #expect(ObjectKey(namespace: "a", name: "b_c").fileName == "a_b%5Fc.json")
        #expect(ObjectKey(namespace: "..", name: "../x").fileName == ".._..%2Fx.json")
        #expect(!ObjectKey(namespace: "x/y", name: "z").fileName.contains("/"))
    }
}
