/// A named volume of a pod. Exactly one source is set; the node acts on `emptyDir`, `hostPath`, `downwardAPI` and `persistentVolumeClaim`, and keeps the others as given.
public struct Volume: Codable, Sendable, Equatable {
    /// DNS-1123 label, unique within the pod.
    public var name: String
    /// A file or directory of the host.
    public var hostPath: HostPathVolumeSource?
    /// A scratch directory that lives as long as the pod.
    public var emptyDir: EmptyDirVolumeSource?
    /// Kept as given.
    public var gcePersistentDisk: JSONValue?
    /// Kept as given.
    public var awsElasticBlockStore: JSONValue?
    /// Kept as given.
    public var gitRepo: JSONValue?
    /// Kept as given.
    public var secret: JSONValue?
    /// Kept as given.
    public var nfs: JSONValue?
    /// Kept as given.
    public var iscsi: JSONValue?
    /// Kept as given.
    public var glusterfs: JSONValue?
    /// A claim, mapped to a node-local directory.
    public var persistentVolumeClaim: PersistentVolumeClaimVolumeSource?
    /// Kept as given.
    public var rbd: JSONValue?
    /// Kept as given.
    public var flexVolume: JSONValue?
    /// Kept as given.
    public var cinder: JSONValue?
    /// Kept as given.
    public var cephfs: JSONValue?
    /// Kept as given.
    public var flocker: JSONValue?
    /// Files holding pod fields.
    public var downwardAPI: DownwardAPIVolumeSource?
    /// Kept as given.
    public var fc: JSONValue?
    /// Kept as given.
    public var azureFile: JSONValue?
    /// Kept as given.
    public var configMap: JSONValue?
    /// Kept as given.
    public var vsphereVolume: JSONValue?
    /// Kept as given.
    public var quobyte: JSONValue?
    /// Kept as given.
    public var azureDisk: JSONValue?
    /// Kept as given.
    public var photonPersistentDisk: JSONValue?
    /// Kept as given.
    public var projected: JSONValue?
    /// Kept as given.
    public var portworxVolume: JSONValue?
    /// Kept as given.
    public var scaleIO: JSONValue?
    /// Kept as given.
    public var storageos: JSONValue?
    /// Kept as given.
    public var csi: JSONValue?
    /// Kept as given.
    public var ephemeral: JSONValue?
    /// Kept as given.
    public var image: JSONValue?

    /// Creates a `Volume`; every optional field defaults to absent.
    public init(
        name: String = "",
        hostPath: HostPathVolumeSource? = nil,
        emptyDir: EmptyDirVolumeSource? = nil,
        gcePersistentDisk: JSONValue? = nil,
        awsElasticBlockStore: JSONValue? = nil,
        gitRepo: JSONValue? = nil,
        secret: JSONValue? = nil,
        nfs: JSONValue? = nil,
        iscsi: JSONValue? = nil,
        glusterfs: JSONValue? = nil,
        persistentVolumeClaim: PersistentVolumeClaimVolumeSource? = nil,
        rbd: JSONValue? = nil,
        flexVolume: JSONValue? = nil,
        cinder: JSONValue? = nil,
        cephfs: JSONValue? = nil,
        flocker: JSONValue? = nil,
        downwardAPI: DownwardAPIVolumeSource? = nil,
        fc: JSONValue? = nil,
        azureFile: JSONValue? = nil,
        configMap: JSONValue? = nil,
        vsphereVolume: JSONValue? = nil,
        quobyte: JSONValue? = nil,
        azureDisk: JSONValue? = nil,
        photonPersistentDisk: JSONValue? = nil,
        projected: JSONValue? = nil,
        portworxVolume: JSONValue? = nil,
        scaleIO: JSONValue? = nil,
        storageos: JSONValue? = nil,
        csi: JSONValue? = nil,
        ephemeral: JSONValue? = nil,
        image: JSONValue? = nil
    ) {
        self.name = name
        self.hostPath = hostPath
        self.emptyDir = emptyDir
        self.gcePersistentDisk = gcePersistentDisk
        self.awsElasticBlockStore = awsElasticBlockStore
        self.gitRepo = gitRepo
        self.secret = secret
        self.nfs = nfs
        self.iscsi = iscsi
        self.glusterfs = glusterfs
        self.persistentVolumeClaim = persistentVolumeClaim
        self.rbd = rbd
        self.flexVolume = flexVolume
        self.cinder = cinder
        self.cephfs = cephfs
        self.flocker = flocker
        self.downwardAPI = downwardAPI
        self.fc = fc
        self.azureFile = azureFile
        self.configMap = configMap
        self.vsphereVolume = vsphereVolume
        self.quobyte = quobyte
        self.azureDisk = azureDisk
        self.photonPersistentDisk = photonPersistentDisk
        self.projected = projected
        self.portworxVolume = portworxVolume
        self.scaleIO = scaleIO
        self.storageos = storageos
        self.csi = csi
        self.ephemeral = ephemeral
        self.image = image
    }

    enum CodingKeys: String, CodingKey {
        case name
        case hostPath
        case emptyDir
        case gcePersistentDisk
        case awsElasticBlockStore
        case gitRepo
        case secret
        case nfs
        case iscsi
        case glusterfs
        case persistentVolumeClaim
        case rbd
        case flexVolume
        case cinder
        case cephfs
        case flocker
        case downwardAPI
        case fc
        case azureFile
        case configMap
        case vsphereVolume
        case quobyte
        case azureDisk
        case photonPersistentDisk
        case projected
        case portworxVolume
        case scaleIO
        case storageos
        case csi
        case ephemeral
        case image
    }
}

extension Volume {
    /// Decodes the Kubernetes JSON form; a required field that is absent takes its zero value, so that
    /// validation (not the decoder) reports it the way the API server does.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
        self.hostPath = try c.decodeIfPresent(HostPathVolumeSource.self, forKey: .hostPath)
        self.emptyDir = try c.decodeIfPresent(EmptyDirVolumeSource.self, forKey: .emptyDir)
        self.gcePersistentDisk = try c.decodeIfPresent(JSONValue.self, forKey: .gcePersistentDisk)
        self.awsElasticBlockStore = try c.decodeIfPresent(JSONValue.self, forKey: .awsElasticBlockStore)
        self.gitRepo = try c.decodeIfPresent(JSONValue.self, forKey: .gitRepo)
        self.secret = try c.decodeIfPresent(JSONValue.self, forKey: .secret)
        self.nfs = try c.decodeIfPresent(JSONValue.self, forKey: .nfs)
        self.iscsi = try c.decodeIfPresent(JSONValue.self, forKey: .iscsi)
        self.glusterfs = try c.decodeIfPresent(JSONValue.self, forKey: .glusterfs)
        self.persistentVolumeClaim = try c.decodeIfPresent(PersistentVolumeClaimVolumeSource.self, forKey: .persistentVolumeClaim)
        self.rbd = try c.decodeIfPresent(JSONValue.self, forKey: .rbd)
        self.flexVolume = try c.decodeIfPresent(JSONValue.self, forKey: .flexVolume)
        self.cinder = try c.decodeIfPresent(JSONValue.self, forKey: .cinder)
        self.cephfs = try c.decodeIfPresent(JSONValue.self, forKey: .cephfs)
        self.flocker = try c.decodeIfPresent(JSONValue.self, forKey: .flocker)
        self.downwardAPI = try c.decodeIfPresent(DownwardAPIVolumeSource.self, forKey: .downwardAPI)
        self.fc = try c.decodeIfPresent(JSONValue.self, forKey: .fc)
        self.azureFile = try c.decodeIfPresent(JSONValue.self, forKey: .azureFile)
        self.configMap = try c.decodeIfPresent(JSONValue.self, forKey: .configMap)
        self.vsphereVolume = try c.decodeIfPresent(JSONValue.self, forKey: .vsphereVolume)
        self.quobyte = try c.decodeIfPresent(JSONValue.self, forKey: .quobyte)
        self.azureDisk = try c.decodeIfPresent(JSONValue.self, forKey: .azureDisk)
        self.photonPersistentDisk = try c.decodeIfPresent(JSONValue.self, forKey: .photonPersistentDisk)
        self.projected = try c.decodeIfPresent(JSONValue.self, forKey: .projected)
        self.portworxVolume = try c.decodeIfPresent(JSONValue.self, forKey: .portworxVolume)
        self.scaleIO = try c.decodeIfPresent(JSONValue.self, forKey: .scaleIO)
        self.storageos = try c.decodeIfPresent(JSONValue.self, forKey: .storageos)
        self.csi = try c.decodeIfPresent(JSONValue.self, forKey: .csi)
        self.ephemeral = try c.decodeIfPresent(JSONValue.self, forKey: .ephemeral)
        self.image = try c.decodeIfPresent(JSONValue.self, forKey: .image)
    }
}
