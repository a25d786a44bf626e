/// The tag names the converter understands, as libyaml spells them once it has expanded the `!!` handle.
enum YAMLTag {
    /// A lone `!`: "not resolved by value", so a scalar is a string and a collection is what it looks like.
    static let nonSpecific = "!"
    static let str = "tag:yaml.org,2002:str"
    static let int = "tag:yaml.org,2002:int"
    static let float = "tag:yaml.org,2002:float"
    static let bool = "tag:yaml.org,2002:bool"
    static let null = "tag:yaml.org,2002:null"
    static let binary = "tag:yaml.org,2002:binary"
    static let timestamp = "tag:yaml.org,2002:timestamp"
    static let seq = "tag:yaml.org,2002:seq"
    static let map = "tag:yaml.org,2002:map"
    static let merge = "tag:yaml.org,2002:merge"
}
