/// The Snowball English ("Porter2") stemmer, as defined by `english.sbl` of Snowball 3.
///
/// M. F. Porter, "Snowball: A language for stemming algorithms" (2001), and the English stemmer
/// page of snowballstem.org. Words are lower-case ASCII letters and apostrophes; anything else is
/// returned unchanged. Checked against the 120,514 words of the reference implementation's output
/// in `../shared/data/porter2`.
public struct Porter2Stemmer: Sendable {
    /// Creates a stemmer.
    public init() {}

    /// The stem of `word`.
    public func stem(_ word: String) -> String {
        var bytes = Array(word.utf8)
        guard bytes.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x27 }) else { return word }
        guard self.stem(&bytes) else { return word }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Stems lower-case ASCII letters (and apostrophes) in place; returns false if nothing changed.
    @discardableResult
    public func stem(_ word: inout [UInt8]) -> Bool {
        if let replacement = Self.exceptions1[word] {
            if let replacement { word = replacement }
            return replacement != nil
        }
        guard word.count >= 3 else { return false }
        var w = StemmedWord(word)
        w.prelude()
        w.markRegions()
        w.step1a()
        w.step1b()
        w.step1c()
        w.step2()
        w.step3()
        w.step4()
        w.step5()
        w.postlude()
        if w.b == word { return false }
        word = w.b
        return true
    }

    /// Words with a stem of their own (`nil`: the word is its own stem).
    static let exceptions1: [[UInt8]: [UInt8]?] = {
        let table: [(String, String?)] = [
            ("skis", "ski"), ("skies", "sky"), ("idly", "idl"), ("gently", "gentl"), ("ugly", "ugli"),
            ("early", "earli"), ("only", "onli"), ("singly", "singl"), ("sky", nil), ("news", nil), ("howe", nil),
            ("atlas", nil), ("cosmos", nil), ("bias", nil), ("andes", nil),
        ]
        var result: [[UInt8]: [UInt8]?] = [:]
        for (word, stem) in table { result[Array(word.utf8)] = .some(stem.map { Array($0.utf8) }) }
        return result
    }()
}

/// A word being stemmed, with its regions R1 and R2 (Porter2's terms).
private struct StemmedWord {
    var b: [UInt8]
    var p1 = 0
    var p2 = 0
    var foundY = false

    init(_ bytes: [UInt8]) {
        self.b = bytes
    }

    // MARK: Letter classes

    static let upperY = UInt8(ascii: "Y")

    /// a e i o u y (not `Y`).
    static func isVowel(_ c: UInt8) -> Bool {
        c == 0x61 || c == 0x65 || c == 0x69 || c == 0x6F || c == 0x75 || c == 0x79
    }

    /// Letters that may end a word before `li` is removed.
    static func isValidLIEnding(_ c: UInt8) -> Bool {
        "cdeghkmnrt".utf8.contains(c)
    }

    var count: Int { self.b.count }

    func endsWith(_ suffix: String) -> Bool {
        let s = suffix.utf8
        guard s.count <= self.b.count else { return false }
        return self.b[(self.b.count - s.count)...].elementsEqual(s)
    }

    /// The longest of `suffixes` that ends the word.
    func longestSuffix(_ suffixes: [String]) -> String? {
        var best: String?
        for suffix in suffixes where self.endsWith(suffix) {
            if best == nil || suffix.utf8.count > best!.utf8.count { best = suffix }
        }
        return best
    }

    mutating func replaceSuffix(_ length: Int, with replacement: String) {
        self.b.removeLast(length)
        self.b.append(contentsOf: replacement.utf8)
    }

    /// True if `b[0..<end]` contains a vowel.
    func hasVowel(before end: Int) -> Bool {
        self.b[..<end].contains(where: Self.isVowel)
    }

    /// A short syllable ends at `end` (exclusive): consonant-vowel-consonant where the last
    /// consonant is not w, x or Y; or vowel-consonant at the very start; or the letters "past".
    func endsWithShortSyllable(at end: Int) -> Bool {
        if end >= 3 {
            let c1 = self.b[end - 3]
            let v = self.b[end - 2]
            let c2 = self.b[end - 1]
            if !Self.isVowel(c2) && c2 != 0x77 && c2 != 0x78 && c2 != Self.upperY && Self.isVowel(v)
                && !Self.isVowel(c1)
            {
                return true
            }
        }
        if end == 2, Self.isVowel(self.b[0]), !Self.isVowel(self.b[1]) { return true }
        if end >= 4, self.b[(end - 4)..<end].elementsEqual("past".utf8) { return true }
        return false
    }

    // MARK: Steps

    mutating func prelude() {
        if self.b.first == 0x27 { self.b.removeFirst() }
        if self.b.first == 0x79 {
            self.b[0] = Self.upperY
            self.foundY = true
        }
        var i = 0
        while i + 1 < self.b.count {
            if Self.isVowel(self.b[i]) && self.b[i + 1] == 0x79 {
                self.b[i + 1] = Self.upperY
                self.foundY = true
            }
            i += 1
        }
    }

    static let regionPrefixes = ["arsen", "commun", "emerg", "gener", "inter", "later", "organ", "past", "univers"].map
    {
        Array($0.utf8)
    }

    /// R1 starts after the first non-vowel that follows a vowel (or after one of a few prefixes);
    /// R2 is the same rule applied inside R1.
    mutating func markRegions() {
        self.p1 = self.count
        self.p2 = self.count
        var cursor: Int
        if let prefix = Self.regionPrefixes.filter({ self.b.starts(with: $0) }).max(by: { $0.count < $1.count }) {
            cursor = prefix.count
        } else {
            guard let after = self.afterVowelThenConsonant(from: 0) else { return }
            cursor = after
        }
        self.p1 = cursor
        guard let after = self.afterVowelThenConsonant(from: cursor) else { return }
        self.p2 = after
    }

    /// The position after the first non-vowel that follows a vowel, searching from `start`.
    private func afterVowelThenConsonant(from start: Int) -> Int? {
        var i = start
        while i < self.count, !Self.isVowel(self.b[i]) { i += 1 }
        guard i < self.count else { return nil }
        i += 1
        while i < self.count, Self.isVowel(self.b[i]) { i += 1 }
        guard i < self.count else { return nil }
        return i + 1
    }

    mutating func step1a() {
        if let suffix = self.longestSuffix(["'", "'s", "'s'"]) {
            self.b.removeLast(suffix.utf8.count)
        }
        guard let suffix = self.longestSuffix(["sses", "ied", "ies", "s", "us", "ss"]) else { return }
        let start = self.count - suffix.utf8.count
        switch suffix {
        case "sses":
            self.replaceSuffix(4, with: "ss")
        case "ied", "ies":
            self.replaceSuffix(3, with: start >= 2 ? "i" : "ie")
        case "s":
            // Delete if a vowel comes before the letter just before the s.
            if start >= 1, self.hasVowel(before: start - 1) { self.b.removeLast() }
        default:
            break  // "us", "ss": unchanged
        }
    }

    mutating func step1b() {
        guard let suffix = self.longestSuffix(["ed", "eed", "ing", "edly", "eedly", "ingly"]) else { return }
        let start = self.count - suffix.utf8.count
        switch suffix {
        case "eed", "eedly":
            guard start >= self.p1 else { return }
            let stem = self.b[..<start]
            if stem.elementsEqual("succ".utf8) || stem.elementsEqual("proc".utf8) || stem.elementsEqual("exc".utf8) {
                return
            }
            self.replaceSuffix(suffix.utf8.count, with: "ee")
            return
        case "ing":
            let stem = Array(self.b[..<start])
            if ["even", "cann", "inn", "earr", "herr", "out"].contains(where: { stem.elementsEqual($0.utf8) }) {
                return
            }
            // C + "ying" (dying, lying, tying) becomes C + "ie".
            if stem.count == 2, stem[1] == 0x79, !Self.isVowel(stem[0]) {
                self.b = [stem[0]] + Array("ie".utf8)
                return
            }
        default:
            break
        }
        // "ed", "edly", "ing", "ingly": delete if the part before contains a vowel, then tidy the end.
        guard self.hasVowel(before: start) else { return }
        self.b.removeLast(suffix.utf8.count)
        if self.endsWith("at") || self.endsWith("bl") || self.endsWith("iz") {
            self.b.append(0x65)
            return
        }
        if ["bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt"].contains(where: self.endsWith) {
            // "add", "egg", "odd" stay whole.
            if self.count == 3, "aeo".utf8.contains(self.b[0]) { return }
            self.b.removeLast()
            return
        }
        if self.count == self.p1, self.endsWithShortSyllable(at: self.count) {
            self.b.append(0x65)
        }
    }

    mutating func step1c() {
        guard let last = self.b.last, last == 0x79 || last == Self.upperY, self.count >= 3 else { return }
        let before = self.b[self.count - 2]
        guard !Self.isVowel(before) else { return }
        self.b[self.count - 1] = 0x69
    }

    static let step2Rules: [(String, String)] = [
        ("tional", "tion"), ("enci", "ence"), ("anci", "ance"), ("abli", "able"), ("entli", "ent"), ("izer", "ize"),
        ("ization", "ize"), ("ational", "ate"), ("ation", "ate"), ("ator", "ate"), ("alism", "al"), ("aliti", "al"),
        ("alli", "al"), ("fulness", "ful"), ("fulli", "ful"), ("ousli", "ous"), ("ousness", "ous"), ("iveness", "ive"),
        ("iviti", "ive"), ("biliti", "ble"), ("bli", "ble"), ("ogist", "og"), ("ogi", "og"), ("lessli", "less"),
        ("li", ""),
    ]
    static let step2Suffixes = step2Rules.map(\.0)

    mutating func step2() {
        guard let suffix = self.longestSuffix(Self.step2Suffixes) else { return }
        let start = self.count - suffix.utf8.count
        guard start >= self.p1 else { return }
        switch suffix {
        case "ogi":
            guard start >= 1, self.b[start - 1] == 0x6C else { return }
        case "li":
            guard start >= 1, Self.isValidLIEnding(self.b[start - 1]) else { return }
        default:
            break
        }
        let replacement = Self.step2Rules.first { $0.0 == suffix }!.1
        self.replaceSuffix(suffix.utf8.count, with: replacement)
    }

    static let step3Rules: [(String, String)] = [
        ("tional", "tion"), ("ational", "ate"), ("alize", "al"), ("icate", "ic"), ("iciti", "ic"), ("ical", "ic"),
        ("ful", ""), ("ness", ""), ("ative", ""),
    ]
    static let step3Suffixes = step3Rules.map(\.0)

    mutating func step3() {
        guard let suffix = self.longestSuffix(Self.step3Suffixes) else { return }
        let start = self.count - suffix.utf8.count
        guard start >= self.p1 else { return }
        if suffix == "ative", start < self.p2 { return }
        let replacement = Self.step3Rules.first { $0.0 == suffix }!.1
        self.replaceSuffix(suffix.utf8.count, with: replacement)
    }

    static let step4Suffixes = [
        "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ism", "ate", "iti", "ous",
        "ive", "ize", "ion",
    ]

    mutating func step4() {
        guard let suffix = self.longestSuffix(Self.step4Suffixes) else { return }
        let start = self.count - suffix.utf8.count
        guard start >= self.p2 else { return }
        if suffix == "ion" {
            guard start >= 1, self.b[start - 1] == 0x73 || self.b[start - 1] == 0x74 else { return }
        }
        self.b.removeLast(suffix.utf8.count)
    }

    mutating func step5() {
        guard let last = self.b.last else { return }
        let start = self.count - 1
        if last == 0x65 {
            if start >= self.p2 || (start >= self.p1 && !self.endsWithShortSyllable(at: start)) {
                self.b.removeLast()
            }
        } else if last == 0x6C {
            if start >= self.p2, start >= 1, self.b[start - 1] == 0x6C { self.b.removeLast() }
        }
    }

    mutating func postlude() {
        guard self.foundY else { return }
        for i in self.b.indices where self.b[i] == Self.upperY { self.b[i] = 0x79 }
    }
}
