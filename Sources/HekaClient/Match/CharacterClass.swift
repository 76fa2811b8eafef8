/// A set of Unicode scalars that one step of a ``RegularExpression`` accepts: ranges,
/// Unicode general categories (`\pL`), nested classes (`\D` inside brackets), possibly
/// negated, possibly matched without regard to case.
struct CharacterClass: Sendable {
    /// One member of a class.
    enum Item: Sendable {
        case range(ClosedRange<UInt32>)
        /// A Unicode general category set; `negated` for `\P`.
        case categories(Set<Unicode.GeneralCategory>, negated: Bool)
        case nested(CharacterClass)
    }

    var items: [Item] = []
    var negated = false
    /// Matches a scalar when it or its lower-, upper- or title-case mapping is a member.
    var foldsCase = false

    init(items: [Item] = [], negated: Bool = false, foldsCase: Bool = false) {
        self.items = items
        self.negated = negated
        self.foldsCase = foldsCase
    }

    /// A class of one scalar.
    init(_ scalar: Unicode.Scalar, foldsCase: Bool) {
        self.init(items: [.range(scalar.value...scalar.value)], foldsCase: foldsCase)
    }

    func contains(_ scalar: Unicode.Scalar) -> Bool {
        var found = containsExactly(scalar)
        if !found && foldsCase {
            let properties = scalar.properties
            for mapping in [properties.lowercaseMapping, properties.uppercaseMapping, properties.titlecaseMapping] {
                let scalars = mapping.unicodeScalars
                if scalars.count == 1, let other = scalars.first, other != scalar, containsExactly(other) {
                    found = true
                    break
                }
            }
        }
        return found != negated
    }

    private func containsExactly(_ scalar: Unicode.Scalar) -> Bool {
        items.contains { item in
            switch item {
            case .range(let range): range.contains(scalar.value)
            case .categories(let set, let negated): set.contains(scalar.properties.generalCategory) != negated
            case .nested(let inner): inner.contains(scalar)
            }
        }
    }

    // MARK: The named classes of RE2's syntax (ASCII, as Go's regexp has them)

    private static func ranges(_ pairs: [(Character, Character)]) -> [Item] {
        pairs.map { .range($0.0.unicodeScalars.first!.value...$0.1.unicodeScalars.first!.value) }
    }

    /// `\d`, `\s`, `\w` and their capitals.
    static func perl(_ letter: Character) -> CharacterClass? {
        let items: [Item]
        switch letter.lowercased() {
        case "d": items = ranges([("0", "9")])
        case "s": items = ranges([("\t", "\n"), ("\u{0C}", "\r"), (" ", " ")])
        case "w": items = ranges([("0", "9"), ("A", "Z"), ("a", "z"), ("_", "_")])
        default: return nil
        }
        return CharacterClass(items: items, negated: letter.isUppercase)
    }

    /// `[:alpha:]` and the other POSIX names, without the brackets and colons.
    static func posix(_ name: String) -> CharacterClass? {
        let pairs: [(Character, Character)]
        switch name {
        case "alnum": pairs = [("0", "9"), ("A", "Z"), ("a", "z")]
        case "alpha": pairs = [("A", "Z"), ("a", "z")]
        case "ascii": pairs = [("\u{00}", "\u{7F}")]
        case "blank": pairs = [("\t", "\t"), (" ", " ")]
        case "cntrl": pairs = [("\u{00}", "\u{1F}"), ("\u{7F}", "\u{7F}")]
        case "digit": pairs = [("0", "9")]
        case "graph": pairs = [("!", "~")]
        case "lower": pairs = [("a", "z")]
        case "print": pairs = [(" ", "~")]
        case "punct": pairs = [("!", "/"), (":", "@"), ("[", "`"), ("{", "~")]
        case "space": pairs = [("\t", "\r"), (" ", " ")]
        case "upper": pairs = [("A", "Z")]
        case "word": pairs = [("0", "9"), ("A", "Z"), ("a", "z"), ("_", "_")]
        case "xdigit": pairs = [("0", "9"), ("A", "F"), ("a", "f")]
        default: return nil
        }
        return CharacterClass(items: ranges(pairs))
    }

    /// A Unicode general category by its one- or two-letter name (`L`, `Lu`), or `Any`.
    static func unicode(_ name: String, negated: Bool) -> CharacterClass? {
        if name == "Any" { return CharacterClass(items: [.range(0...0x10FFFF)], negated: negated) }
        let matching = Self.allCategories.filter { $0.name == name || ($0.name.first.map(String.init) == name) }
        guard !matching.isEmpty else { return nil }
        return CharacterClass(items: [.categories(Set(matching.map(\.category)), negated: negated)])
    }

    private static let allCategories: [(name: String, category: Unicode.GeneralCategory)] = [
        ("Lu", .uppercaseLetter), ("Ll", .lowercaseLetter), ("Lt", .titlecaseLetter), ("Lm", .modifierLetter),
        ("Lo", .otherLetter), ("Mn", .nonspacingMark), ("Mc", .spacingMark), ("Me", .enclosingMark),
        ("Nd", .decimalNumber), ("Nl", .letterNumber), ("No", .otherNumber), ("Pc", .connectorPunctuation),
        ("Pd", .dashPunctuation), ("Ps", .openPunctuation), ("Pe", .closePunctuation),
        ("Pi", .initialPunctuation), ("Pf", .finalPunctuation), ("Po", .otherPunctuation), ("Sm", .mathSymbol),
        ("Sc", .currencySymbol), ("Sk", .modifierSymbol), ("So", .otherSymbol), ("Zs", .spaceSeparator),
        ("Zl", .lineSeparator), ("Zp", .paragraphSeparator), ("Cc", .control), ("Cf", .format),
        ("Cs", .surrogate), ("Co", .privateUse),
    ]

    /// Whether `scalar` is a word character for `\b` (ASCII, as in RE2).
    static func isWord(_ scalar: Unicode.Scalar?) -> Bool {
        guard let value = scalar?.value else { return false }
        return (0x30...0x39).contains(value) || (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value)
            || value == 0x5F
    }
}
