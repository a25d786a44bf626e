import Testing
@testable import KubeTypes

@Suite struct CopyOnWriteTests {
    @Test func aCopyIsIndependentOfTheOriginal() {
        var original = CopyOnWrite([1, 2, 3])
        var copy = original
        #expect(copy.storageIdentity == original.storageIdentity)
        copy.value.append(4)
        #expect(copy.storageIdentity != original.storageIdentity)
        #expect(original.value == [1, 2, 3])
        #expect(copy.value == [1, 2, 3, 4])
        original.value[0] = 9
        #expect(original.value == [9, 2, 3])
        #expect(copy.value == [1, 2, 3, 4])
    }

    @Test func aUniqueBoxIsWrittenInPlace() {
        var box = CopyOnWrite([1])
        let before = box.storageIdentity
        box.value.append(2)
        #expect(box.storageIdentity == before)
        #expect(box.value == [1, 2])
    }

    @Test func equalityComparesValuesNotStorage() {
        let a = CopyOnWrite("x")
        let b = CopyOnWrite("x")
        #expect(a.storageIdentity != b.storageIdentity)
        #expect(a == b)
        #expect(a != CopyOnWrite("y"))
    }

    @Test func podCopiesShareUntilOneIsChanged() throws {
        var pod = Pod(metadata: ObjectMeta(name: "p", namespace: "default"), spec: PodSpec(containers: [Container(name: "c", image: "busybox")]))
        let stored = pod
        pod.status.phase = .running
        pod.metadata.resourceVersion = "7"
        pod.spec.containers[0].image = "other"
        #expect(stored.status.phase == nil)
        #expect(stored.metadata.resourceVersion == nil)
        #expect(stored.spec.containers[0].image == "busybox")
        #expect(pod.status.phase == .running)
        #expect(pod != stored)
        var again = stored
        again.metadata.name = "p"
        #expect(again == stored)
        // The boxes keep the pod itself small: every copy in the store, the watch history and worker frames pays
        // this, not the 1.4 kB the three parts take inline.
        #expect(MemoryLayout<Pod>.size <= 96)
    }
}
