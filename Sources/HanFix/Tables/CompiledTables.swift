import CHanFixTables
import HanFixTableFormat

/// A read-only view of the compiled tables embedded in the binary.
///
/// The blob is part of the program image, so "loading" is only a header check: pages are
/// faulted in as lookups touch them.
struct CompiledTables: @unchecked Sendable {
    // @unchecked: the blob is immutable static data that lives as long as the process.
    let base: UnsafeRawPointer
    let byteCount: Int

    /// The tables linked into this binary.
    static let embedded: CompiledTables = {
        let tables = CompiledTables(
            base: UnsafeRawPointer(hanfix_compiled_tables_pointer()),
            byteCount: Int(hanfix_compiled_tables_size))
        precondition(tables.word(TableFormat.HeaderField.magic.rawValue) == TableFormat.magic
                     && tables.word(TableFormat.HeaderField.version.rawValue) == TableFormat.version,
                     "the embedded HanFix tables have an unknown format; rebuild them with hanfix-tables")
        return tables
    }()

    func word(_ index: Int, at byteOffset: UInt32 = 0) -> UInt32 {
        UInt32(littleEndian: base.load(fromByteOffset: Int(byteOffset) + index * 4, as: UInt32.self))
    }

    func pointer<T>(at byteOffset: UInt32, as type: T.Type) -> UnsafePointer<T> {
        (base + Int(byteOffset)).assumingMemoryBound(to: type)
    }

    func string(offset: UInt32, length: UInt32) -> String {
        let poolOffset = word(TableFormat.HeaderField.poolOffset.rawValue)
        let start = pointer(at: poolOffset + offset, as: UInt8.self)
        return String(decoding: UnsafeBufferPointer(start: start, count: Int(length)), as: UTF8.self)
    }

    var poolBase: UnsafePointer<UInt8> {
        pointer(at: word(TableFormat.HeaderField.poolOffset.rawValue), as: UInt8.self)
    }

    func matcherRecord(_ index: UInt32) -> UInt32 {
        word(TableFormat.HeaderField.matcherDirectory.rawValue) + index * UInt32(TableFormat.recordWords * 4)
    }

    var configCount: Int { Int(word(TableFormat.HeaderField.configCount.rawValue)) }

    func configRecord(_ index: Int) -> UInt32 {
        word(TableFormat.HeaderField.configDirectory.rawValue) + UInt32(index * TableFormat.recordWords * 4)
    }
}
