extension RegularExpression {
    /// A compiled expression: a Thompson NFA as a list of instructions, run as a Pike VM.
    struct Program: Sendable {
        enum Instruction: Sendable {
            /// Consume one scalar in the class.
            case scalar(CharacterClass)
            /// Go on at both.
            case split(Int, Int)
            case jump(Int)
            case assertion(RegexAssertion)
            case match
        }

        private(set) var instructions: [Instruction] = []
        /// The expression can only match at the start of the text (it begins with `^` or `\A`).
        private(set) var anchoredAtStart = false

        init(_ node: RegexNode) throws(SyntaxError) {
            try emit(node)
            instructions.append(.match)
            if case .assertion(.beginText)? = instructions.first { anchoredAtStart = true }
        }

        private mutating func append(_ instruction: Instruction) throws(SyntaxError) -> Int {
            guard instructions.count < RegularExpression.maximumProgramSize else {
                throw SyntaxError(description: "expression too large (over \(RegularExpression.maximumProgramSize) steps)")
            }
            instructions.append(instruction)
            return instructions.count - 1
        }

        private mutating func emit(_ node: RegexNode) throws(SyntaxError) {
            switch node {
            case .empty: break
            case .scalar(let set): _ = try append(.scalar(set))
            case .assertion(let assertion): _ = try append(.assertion(assertion))
            case .concatenation(let items): for item in items { try emit(item) }
            case .alternation(let branches):
                var exits: [Int] = []
                for (position, branch) in branches.enumerated() {
                    guard position < branches.count - 1 else {
                        try emit(branch)
                        break
                    }
                    let split = try append(.split(0, 0))
                    try emit(branch)
                    exits.append(try append(.jump(0)))
                    instructions[split] = .split(split + 1, instructions.count)
                }
                for exit in exits { instructions[exit] = .jump(instructions.count) }
            case .repetition(let body, let min, let max):
                for _ in 0..<min { try emit(body) }
                if let max {
                    var skips: [Int] = []
                    for _ in min..<max {
                        skips.append(try append(.split(0, 0)))
                        try emit(body)
                    }
                    for skip in skips { instructions[skip] = .split(skip + 1, instructions.count) }
                } else {
                    let loop = try append(.split(0, 0))
                    try emit(body)
                    _ = try append(.jump(loop))
                    instructions[loop] = .split(loop + 1, instructions.count)
                }
            }
        }

        /// Whether the program matches anywhere in `text`; `steps` counts the instructions
        /// visited: at each position each instruction is added at most once and stepped at
        /// most once, so at most (scalars + 1) × 2 × (instructions).
        func matches(_ text: String, steps: inout Int) -> Bool {
            let scalars = Array(text.unicodeScalars)
            var current = ThreadList(capacity: instructions.count)
            var next = ThreadList(capacity: instructions.count)
            var pending: [Int] = []
            pending.reserveCapacity(instructions.count)
            var position = 0
            while true {
                if position == 0 || !anchoredAtStart {
                    if add(0, to: &current, at: position, in: scalars, pending: &pending, steps: &steps) { return true }
                }
                guard position < scalars.count, !(current.isEmpty && anchoredAtStart) else { return false }
                let scalar = scalars[position]
                next.clear()
                for pc in current.members {
                    steps += 1
                    if case .scalar(let set) = instructions[pc], set.contains(scalar),
                       add(pc + 1, to: &next, at: position + 1, in: scalars, pending: &pending, steps: &steps)
                    {
                        return true
                    }
                }
                swap(&current, &next)
                position += 1
            }
        }

        /// Adds `pc` and what it reaches without consuming to `list`, at `position`; true
        /// when that reaches the match. `pending` is scratch space, kept between calls.
        private func add(_ pc: Int, to list: inout ThreadList, at position: Int, in scalars: [Unicode.Scalar],
                         pending: inout [Int], steps: inout Int) -> Bool {
            pending.removeAll(keepingCapacity: true)
            pending.append(pc)
            while let pc = pending.popLast() {
                guard list.insert(pc) else { continue }
                steps += 1
                switch instructions[pc] {
                case .match: return true
                case .jump(let target): pending.append(target)
                case .split(let first, let second): pending.append(second); pending.append(first)
                case .assertion(let assertion):
                    let before = position > 0 ? scalars[position - 1] : nil
                    let after = position < scalars.count ? scalars[position] : nil
                    if Self.holds(assertion, before: before, after: after) { pending.append(pc + 1) }
                case .scalar: break
                }
            }
            return false
        }

        private static func holds(_ assertion: RegexAssertion, before: Unicode.Scalar?, after: Unicode.Scalar?) -> Bool {
            switch assertion {
            case .beginText: before == nil
            case .endText: after == nil
            case .beginLine: before == nil || before == "\n"
            case .endLine: after == nil || after == "\n"
            case .wordBoundary: CharacterClass.isWord(before) != CharacterClass.isWord(after)
            case .notWordBoundary: CharacterClass.isWord(before) == CharacterClass.isWord(after)
            }
        }
    }

    /// A set of instruction indexes with O(1) insertion, membership and clearing, in the
    /// order inserted.
    struct ThreadList {
        private var stamp: [Int]
        private var generation = 1
        private(set) var members: [Int] = []

        init(capacity: Int) { stamp = Array(repeating: 0, count: capacity) }

        var isEmpty: Bool { members.isEmpty }

        /// Inserts `pc`; false when it was there already.
        mutating func insert(_ pc: Int) -> Bool {
            guard stamp[pc] != generation else { return false }
            stamp[pc] = generation
            members.append(pc)
            return true
        }

        mutating func clear() {
            generation += 1
            members.removeAll(keepingCapacity: true)
        }
    }
}
