import Foundation
import HanFix

// In-process throughput of the HanFix library on a real-text file.
//
//   swift run -c release hanfix-bench FILE [CONFIG…] [--runs N] [--engine hanfix,opencc]
//
// For each config and engine: one warm-up, then N timed whole-buffer conversions on a warm
// Converter (median and min reported), then one streamed conversion in 64 KiB chunks whose
// output must equal the whole-buffer result byte for byte. With several engines, their timed
// runs alternate (A B A B …), so that a noisy minute weighs on each alike. Prints one TSV row
// per config and engine.

var arguments = Array(CommandLine.arguments.dropFirst())
var runs = 7
if let index = arguments.firstIndex(of: "--runs"), index + 1 < arguments.count, let value = Int(arguments[index + 1]) {
    runs = value
    arguments.removeSubrange(index...(index + 1))
}
var engines = [ConversionEngine.hanfix]
if let index = arguments.firstIndex(of: "--engine"), index + 1 < arguments.count {
    let names = arguments[index + 1].split(separator: ",")
    engines = names.compactMap { ConversionEngine(rawValue: String($0)) }
    guard engines.count == names.count, !engines.isEmpty else {
        FileHandle.standardError.write(Data("unknown engine in \(arguments[index + 1])\n".utf8))
        exit(2)
    }
    arguments.removeSubrange(index...(index + 1))
}
guard let path = arguments.first, let data = FileManager.default.contents(atPath: path) else {
    FileHandle.standardError.write(Data("usage: hanfix-bench FILE [CONFIG…] [--runs N] [--engine hanfix,opencc]\n".utf8))
    exit(2)
}
let configs = arguments.dropFirst().isEmpty
    ? [ConversionConfiguration.s2t, .t2s]
    : arguments.dropFirst().map { name -> ConversionConfiguration in
        guard let config = ConversionConfiguration(rawValue: name) else {
            FileHandle.standardError.write(Data("unknown config \(name)\n".utf8))
            exit(2)
        }
        return config
    }
let input = [UInt8](data)
let megabytes = Double(input.count) / 1_000_000

func seconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

print("config\tinput_MB\tmedian_s\tmin_s\tmedian_MB_per_s\tmax_MB_per_s\tstream_equal\tengine")
for config in configs {
    let converters = engines.map { Converter(config, engine: $0) }
    var references: [[UInt8]] = []
    for converter in converters {
        var reference: [UInt8] = []
        _ = seconds { reference = converter.convert(input) }  // warm-up
        references.append(reference)
    }
    var times = [[Double]](repeating: [], count: engines.count)
    for _ in 0..<runs {
        for (index, converter) in converters.enumerated() {
            var output: [UInt8] = []
            times[index].append(seconds { output = converter.convert(input) })
            precondition(output.count == references[index].count)
        }
    }
    for (index, converter) in converters.enumerated() {
        let sorted = times[index].sorted()
        var streamed: [UInt8] = []
        var stream = converter.makeStream(invalidUTF8: .pass)
        input.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let end = min(offset + 65536, raw.count)
                try! stream.process(UnsafeRawBufferPointer(rebasing: raw[offset..<end])) { streamed.append(contentsOf: $0) }
                offset = end
            }
        }
        try! stream.finish { streamed.append(contentsOf: $0) }
        let median = sorted[sorted.count / 2]
        let equal = streamed == references[index]
        let row = [config.rawValue, String(format: "%.2f", megabytes), String(format: "%.4f", median),
                   String(format: "%.4f", sorted[0]), String(format: "%.1f", megabytes / median),
                   String(format: "%.1f", megabytes / sorted[0]), equal ? "yes" : "NO", engines[index].rawValue]
        print(row.joined(separator: "\t"))
        if !equal { exit(1) }
    }
}
