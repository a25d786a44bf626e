import Testing
@testable import KubeTypes

@Suite struct SelectorTests {
    static let labels = ["app": "web", "tier": "frontend", "version": "3", "empty": ""]

    /// Selector → whether it matches `labels`.
    static let matching: [(String, Bool)] = [
        ("", true), ("app=web", true), ("app==web", true), ("app!=web", false), ("app!=db", true),
        ("missing!=x", true), ("app=db", false), ("app", true), ("!app", false), ("!missing", true),
        ("missing", false), ("app in (web,db)", true), ("app in (db)", false), ("app notin (db)", true),
        ("app notin (web)", false), ("missing notin (web)", true), ("missing in (web)", false),
        ("app=web,tier=frontend", true), ("app=web,tier=backend", false), ("app=web, !missing , tier", true),
        ("version>2", true), ("version<3", false), ("version<4", true), ("empty=", true), ("empty in ()", true),
        ("app in (web, db ,)", true), ("environment in (production, qa)", false),
        ("tier notin (frontend, backend)", false), ("app=web,version in (1,2,3)", true),
        ("in=x", false), ("app in (in,notin)", false),
    ]

    @Test(arguments: matching)
    func matchesLikeApimachinery(selector: String, expected: Bool) throws {
        let s = try LabelSelector(parsing: selector)
        #expect(s.matches(Self.labels) == expected, "\(selector)")
    }

    /// Selector → apimachinery's error message.
    static let errors: [(String, String)] = [
        ("app=", ""),
        ("=web", "found '=', expected: !, identifier, or 'end of string'"),
        ("app in web", "unable to parse requirement: found 'web' expected: '('"),
        ("app in (web", "unable to parse requirement: found '', expected: ',' or ')'"),
        ("app,", "found '', expected: identifier after ','"),
        ("app web", "unable to parse requirement: found 'web', expected: in, notin, =, ==, !=, gt, lt"),
        ("version>x1", "unable to parse requirement: values[0]: Invalid value: \"x1\": for 'Gt', 'Lt' operators, the value must be an integer"),
        ("app=web=db", "found '=', expected: ',' or 'end of string'"),
        ("!app=web", "found '=', expected: ',' or 'end of string'"),
        ("app=a b", "found 'b', expected: ',' or 'end of string'"),
        ("app in ()x", "found 'x', expected: ',' or 'end of string'"),
        ("app>x", "unable to parse requirement: values[0]: Invalid value: \"x\": for 'Gt', 'Lt' operators, the value must be an integer"),
        ("app=bad value!", "found 'value', expected: ',' or 'end of string'"),
        ("app=-bad", "unable to parse requirement: [app]: Invalid value: \"-bad\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"),
        ("Bad Key=x", "unable to parse requirement: found 'Key', expected: in, notin, =, ==, !=, gt, lt"),
    ]

    @Test(arguments: errors)
    func errorsAreWordedLikeApimachinery(selector: String, message: String) {
        if message.isEmpty {
            #expect(throws: Never.self) { try LabelSelector(parsing: selector) }
            return
        }
        #expect(throws: SelectorError(message)) { try LabelSelector(parsing: selector) }
    }

    @Test func badKeyIsReported() {
        do {
            _ = try LabelSelector(parsing: "-app=x")
            Issue.record("accepted an invalid key")
        } catch {
            #expect(error.message.hasPrefix("unable to parse requirement: : Invalid value: \"-app\": name part must consist of"))
        }
    }

    @Test func canonicalDescriptionSortsByKey() throws {
        let s = try LabelSelector(parsing: "tier notin (b,a), app = web ,!x,y")
        #expect(s.description == "app=web,tier notin (a,b),!x,y")
    }

    static func pod(name: String, namespace: String, phase: PodPhase, restart: RestartPolicy) -> Pod {
        Pod(metadata: ObjectMeta(name: name, namespace: namespace),
            spec: PodSpec(restartPolicy: restart, nodeName: "node-1"),
            status: PodStatus(phase: phase))
    }

    @Test func fieldSelectorsMatchPods() throws {
        let p = Self.pod(name: "web-1", namespace: "shop", phase: .running, restart: .always)
        let table: [(String, Bool)] = [
            ("", true), ("metadata.name=web-1", true), ("metadata.name==web-1", true), ("metadata.name!=web-1", false),
            ("metadata.namespace=shop,status.phase=Running", true), ("status.phase!=Running", false),
            ("status.phase=Pending", false), ("spec.restartPolicy=Always", true), ("spec.restartPolicy!=Never", true),
            ("spec.nodeName=node-1", true), ("spec.nodeName=", false), ("status.podIP=", true),
            ("spec.hostNetwork=false", true),
        ]
        for (selector, expected) in table {
            #expect(try FieldSelector(parsing: selector).matches(p) == expected, "\(selector)")
        }
    }

    @Test func fieldSelectorErrors() {
        #expect(throws: SelectorError("field label not supported: spec.containers")) {
            try FieldSelector(parsing: "spec.containers=x")
        }
        #expect(throws: SelectorError("invalid selector: 'metadata.name'; can't understand 'metadata.name'")) {
            try FieldSelector(parsing: "metadata.name")
        }
        #expect(throws: SelectorError.self) { try FieldSelector(parsing: "metadata.name=a\\b") }
    }

    @Test func fieldSelectorEscapes() throws {
        let p = Self.pod(name: "a,b=c", namespace: "x", phase: .pending, restart: .never)
        let s = try FieldSelector(parsing: "metadata.name=a\\,b\\=c")
        #expect(s.matches(p))
        #expect(s.description == "metadata.name=a\\,b\\=c")
    }
}
