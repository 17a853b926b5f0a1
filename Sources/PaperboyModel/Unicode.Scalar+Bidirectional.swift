extension Unicode.Scalar {
    /// Whether this is one of the invisible characters that change the direction of the text
    /// after them (Unicode's bidirectional embeddings, overrides, isolates and marks): a name
    /// with them could make the text beside it read backwards ("Trojan Source").
    public var isBidirectionalControl: Bool {
        switch self.value {
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}
