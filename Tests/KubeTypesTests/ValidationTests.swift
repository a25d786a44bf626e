import Testing
@testable import KubeTypes

/// The validation error corpus: bad pods and the exact errors the API server reports for them.
@Suite struct ValidationTests {
    static func decodeDefaulted(_ yaml: String) throws -> Pod {
        var pod = try KubeYAML.decode(Pod.self, from: yaml)
        PodDefaulting.apply(to: &pod, now: Time(secondsSinceEpoch: 0), uid: "u")
        return pod
    }

    /// (document, expected "type field" pairs in order).
    static let table: [(String, [String])] = [
        ("""
        metadata: {name: Bad_Name}
        spec: {containers: [{name: a, image: b}]}
        """, ["FieldValueInvalid metadata.name"]),
        ("""
        metadata: {namespace: Bad.NS}
        spec: {containers: [{name: a, image: b}]}
        """, ["FieldValueRequired metadata.name", "FieldValueInvalid metadata.namespace"]),
        ("""
        metadata: {generateName: web-}
        spec: {containers: [{name: a, image: b}]}
        """, []),
        ("""
        metadata: {name: x, labels: {"bad key": "v", ok: "bad value!"}, annotations: {"a/b/c": ""}}
        spec: {containers: [{name: a, image: b}]}
        """, ["FieldValueInvalid metadata.labels", "FieldValueInvalid metadata.labels", "FieldValueInvalid metadata.annotations"]),
        ("""
        metadata: {name: x}
        spec: {containers: []}
        """, ["FieldValueRequired spec.containers"]),
        ("""
        metadata: {name: x}
        spec:
          initContainers: [{name: a, image: i}]
          containers: [{name: a, image: ""}, {name: a, image: i}, {name: Bad, image: i}]
        """, ["FieldValueRequired spec.containers[0].image", "FieldValueDuplicate spec.containers[1].name",
              "FieldValueInvalid spec.containers[2].name", "FieldValueDuplicate spec.initContainers[0].name"]),
        ("""
        metadata: {name: x}
        spec:
          volumes: [{name: v, emptyDir: {}}, {name: v, emptyDir: {}}, {name: w, emptyDir: {}, hostPath: {path: /x}}]
          containers:
          - name: a
            image: i
            volumeMounts:
            - {name: v, mountPath: /a}
            - {name: nope, mountPath: /a}
            - {name: w, mountPath: ""}
            - {name: v, mountPath: /c, subPath: /abs}
            - {name: v, mountPath: /d, subPath: a/../../b}
        """, ["FieldValueDuplicate spec.volumes[1].name", "FieldValueForbidden spec.volumes[2].emptyDir",
              "FieldValueNotFound spec.containers[0].volumeMounts[1].name",
              "FieldValueInvalid spec.containers[0].volumeMounts[1].mountPath",
              "FieldValueNotFound spec.containers[0].volumeMounts[2].name",
              "FieldValueRequired spec.containers[0].volumeMounts[2].mountPath",
              "FieldValueInvalid spec.containers[0].volumeMounts.subPath",
              "FieldValueInvalid spec.containers[0].volumeMounts.subPath"]),
        ("""
        metadata: {name: x}
        spec:
          containers:
          - name: a
            image: i
            ports:
            - {containerPort: 0}
            - {containerPort: 70000, name: http}
            - {containerPort: 80, name: http, protocol: HTTP}
            - {containerPort: 81, name: Bad--name, hostPort: 8080}
            - {containerPort: 82, hostPort: 8080}
        """, ["FieldValueRequired spec.containers[0].ports[0].containerPort",
              "FieldValueInvalid spec.containers[0].ports[1].containerPort",
              "FieldValueDuplicate spec.containers[0].ports[2].name",
              "FieldValueNotSupported spec.containers[0].ports[2].protocol",
              "FieldValueInvalid spec.containers[0].ports[3].name",
              "FieldValueInvalid spec.containers[0].ports[3].name",
              "FieldValueDuplicate spec.containers[0].ports[4].hostPort"]),
        ("""
        metadata: {name: x}
        spec:
          restartPolicy: Sometimes
          dnsPolicy: Magic
          containers:
          - {name: a, image: i, imagePullPolicy: Sometimes, terminationMessagePolicy: Loud}
        """, ["FieldValueNotSupported spec.containers[0].terminationMessagePolicy",
              "FieldValueNotSupported spec.containers[0].imagePullPolicy",
              "FieldValueNotSupported spec.restartPolicy", "FieldValueNotSupported spec.dnsPolicy"]),
        ("""
        metadata: {name: x}
        spec:
          containers:
          - name: a
            image: i
            livenessProbe: {periodSeconds: -1, successThreshold: 2}
            readinessProbe: {exec: {command: [x]}, tcpSocket: {port: 80}, terminationGracePeriodSeconds: 5}
            startupProbe: {httpGet: {port: 0}, successThreshold: 3}
        """, ["FieldValueRequired spec.containers[0].livenessProbe",
              "FieldValueInvalid spec.containers[0].livenessProbe.periodSeconds",
              "FieldValueInvalid spec.containers[0].livenessProbe.successThreshold",
              "FieldValueForbidden spec.containers[0].readinessProbe.tcpSocket",
              "FieldValueInvalid spec.containers[0].readinessProbe.terminationGracePeriodSeconds",
              "FieldValueInvalid spec.containers[0].startupProbe.httpGet.port",
              "FieldValueInvalid spec.containers[0].startupProbe.successThreshold"]),
        ("""
        metadata: {name: x}
        spec:
          containers:
          - name: a
            image: i
            resources:
              requests: {cpu: "2", memory: "-1"}
              limits: {cpu: "1", example.com/gpu: "1", bogus: "1"}
        """, ["FieldValueInvalid spec.containers[0].resources.limits[bogus]",
              "FieldValueInvalid spec.containers[0].resources.requests[bogus]",
              "FieldValueInvalid spec.containers[0].resources.requests",
              "FieldValueInvalid spec.containers[0].resources.requests[memory]"]),
        ("""
        metadata: {name: x}
        spec:
          containers:
          - name: a
            image: i
            env:
            - {name: "", value: x}
            - {name: "A=B"}
            - {name: C, value: v, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
            - {name: D, valueFrom: {fieldRef: {fieldPath: spec.containers}}}
            - {name: E, valueFrom: {}}
            - {name: F, valueFrom: {resourceFieldRef: {resource: limits.gpu}}}
            - {name: G, valueFrom: {fieldRef: {fieldPath: "metadata.labels['ok']"}}}
        """, ["FieldValueRequired spec.containers[0].env[0].name", "FieldValueInvalid spec.containers[0].env[0].name",
              "FieldValueInvalid spec.containers[0].env[1].name",
              "FieldValueInvalid spec.containers[0].env[2].valueFrom",
              "FieldValueNotSupported spec.containers[0].env[3].valueFrom.fieldRef.fieldPath",
              "FieldValueInvalid spec.containers[0].env[4].valueFrom",
              "FieldValueNotSupported spec.containers[0].env[5].valueFrom.resourceFieldRef.resource"]),
        ("""
        metadata: {name: x}
        spec:
          activeDeadlineSeconds: 0
          terminationGracePeriodSeconds: -5
          hostname: Bad_Host
          subdomain: a.b
          initContainers:
          - {name: i1, image: i, restartPolicy: OnFailure, livenessProbe: {exec: {command: [x]}}}
          - {name: i2, image: i, restartPolicy: Always, readinessProbe: {exec: {command: [x]}}}
          containers:
          - {name: a, image: i, restartPolicy: Always}
        """, ["FieldValueForbidden spec.containers[0].restartPolicy",
              "FieldValueNotSupported spec.initContainers[0].restartPolicy",
              "FieldValueForbidden spec.initContainers[0].livenessProbe",
              "FieldValueInvalid spec.activeDeadlineSeconds", "FieldValueInvalid spec.terminationGracePeriodSeconds",
              "FieldValueInvalid spec.hostname", "FieldValueInvalid spec.subdomain"]),
        ("""
        metadata: {name: x}
        spec:
          dnsPolicy: None
          dnsConfig: {nameservers: [1.1.1.1, 2.2.2.2, 3.3.3.3, not-an-ip], searches: [ok.example, "Bad_Search"], options: [{value: "1"}]}
          hostAliases: [{ip: "999.1.1.1", hostnames: [UPPER]}]
          containers: [{name: a, image: i}]
        """, ["FieldValueInvalid spec.dnsConfig.nameservers", "FieldValueInvalid spec.dnsConfig.nameservers[3]",
              "FieldValueInvalid spec.dnsConfig.searches[1]", "FieldValueRequired spec.dnsConfig.options[0]",
              "FieldValueInvalid spec.hostAliases[0].ip", "FieldValueInvalid spec.hostAliases[0].hostnames[0]"]),
        ("""
        metadata: {name: x}
        spec:
          dnsPolicy: None
          containers: [{name: a, image: i}]
        """, ["FieldValueRequired spec.dnsConfig"]),
        ("""
        metadata: {name: x}
        spec:
          hostNetwork: true
          securityContext: {runAsUser: -1, sysctls: [{name: "bad..name", value: "1"}], seccompProfile: {type: Localhost}}
          containers:
          - name: a
            image: i
            ports: [{containerPort: 80, hostPort: 81}]
            securityContext: {allowPrivilegeEscalation: false, privileged: true, procMount: Weird, appArmorProfile: {type: Nope}}
        """, ["FieldValueNotSupported spec.containers[0].securityContext.procMount",
              "FieldValueInvalid spec.containers[0].securityContext",
              "FieldValueNotSupported spec.containers[0].securityContext.appArmorProfile.type",
              "FieldValueInvalid spec.securityContext.runAsUser",
              "FieldValueInvalid spec.securityContext.sysctls[0].name",
              "FieldValueRequired spec.securityContext.seccompProfile.localhostProfile",
              "FieldValueInvalid spec.containers[0].ports[0].containerPort"]),
        ("""
        metadata: {name: x}
        spec:
          volumes:
          - {name: h, hostPath: {path: /a/../b, type: Weird}}
          - {name: c, persistentVolumeClaim: {claimName: ""}}
          - {name: d, downwardAPI: {items: [{path: ../x, fieldRef: {fieldPath: status.podIP}}, {path: ok}]}}
          containers: [{name: a, image: i, volumeMounts: [{name: h, mountPath: /h}]}]
        """, ["FieldValueInvalid spec.volumes[0].hostPath.path", "FieldValueNotSupported spec.volumes[0].hostPath.type",
              "FieldValueRequired spec.volumes[1].persistentVolumeClaim.claimName",
              "FieldValueInvalid spec.volumes[2].downwardAPI.path",
              "FieldValueNotSupported spec.volumes[2].downwardAPI.fieldRef.fieldPath",
              "FieldValueRequired spec.volumes[2].downwardAPI",
              "FieldValueNotFound spec.containers[0].volumeMounts[0].name"]),
    ]

    @Test(arguments: table.indices)
    func reportsEveryProblemWithExactPaths(index: Int) throws {
        let (yaml, expected) = Self.table[index]
        let pod = try Self.decodeDefaulted(yaml)
        let got = PodValidation.validate(pod).map { "\($0.type.rawValue) \($0.field)" }
        #expect(got == expected, "case \(index)")
    }

    @Test func messagesAreWordedLikeApimachinery() throws {
        let pod = try Self.decodeDefaulted("""
        metadata: {name: Bad_Name}
        spec:
          restartPolicy: Sometimes
          containers: [{name: a, image: ""}]
        """)
        let messages = PodValidation.validate(pod).map(\.description)
        #expect(messages == [
            #"metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"#,
            "spec.containers[0].image: Required value",
            #"spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never""#,
        ])
    }

    @Test func invalidStatusCarriesCauses() throws {
        let errors = [
            FieldError.required(ValidationPath("spec").child("containers").index(0).child("image")),
            FieldError.invalid(ValidationPath("spec").child("activeDeadlineSeconds"), .int(0),
                               "must be between 1 and 2147483647, inclusive"),
        ]
        let status = Status.invalid(kind: "Pod", name: "x", errors: errors)
        #expect(status.code == 422)
        #expect(status.reason == "Invalid")
        #expect(status.status == "Failure")
        #expect(status.message == #"Pod "x" is invalid: [spec.containers[0].image: Required value, spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive]"#)
        #expect(status.details?.causes == [
            StatusCause(reason: "FieldValueRequired", message: "Required value", field: "spec.containers[0].image"),
            StatusCause(reason: "FieldValueInvalid", message: "Invalid value: 0: must be between 1 and 2147483647, inclusive",
                        field: "spec.activeDeadlineSeconds"),
        ])
        #expect(Status.invalid(kind: "Pod", name: "x", errors: [errors[0]]).message
            == #"Pod "x" is invalid: spec.containers[0].image: Required value"#)
        let json = String(decoding: try KubeJSON.encode(status), as: UTF8.self)
        #expect(json.hasPrefix(#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"#))
    }

    @Test func statusHelpersUseApimachineryWording() {
        #expect(Status.notFound(resource: "pods", name: "x").message == #"pods "x" not found"#)
        #expect(Status.notFound(resource: "pods", name: "x").code == 404)
        #expect(Status.alreadyExists(resource: "pods", name: "x").message == #"pods "x" already exists"#)
        #expect(Status.alreadyExists(resource: "pods", name: "x").code == 409)
        #expect(Status.forbidden(resource: "pods", name: "x", reason: "OutOfcpu").message == #"pods "x" is forbidden: OutOfcpu"#)
        #expect(Status.conflict(resource: "pods", name: "x", reason: "the object has been modified").message
            == #"Operation cannot be fulfilled on pods "x": the object has been modified"#)
        #expect(Status.expired("too old resource version: 1 (5)").code == 410)
        #expect(Status.expired("x").reason == "Expired")
        #expect(Status.gone("x").reason == "Gone")
        #expect(Status.methodNotAllowed(resource: "pods", action: "PATCH").message
            == #"PATCH is not supported on resources of kind "pods""#)
        #expect(Status.unauthorized().message == "not authorized")
        #expect(Status.internalError("boom").message == "Internal error occurred: boom")
        #expect(Status.timeout("took too long").message == "Timeout: took too long")
        #expect(Status.tooManyRequests("slow down").code == 429)
        #expect(Status.requestEntityTooLarge("limit is 3145728").message == "Request entity too large: limit is 3145728")
        #expect(Status.serviceUnavailable("starting").code == 503)
        #expect(Status.badRequest("bad").code == 400)
    }
}
