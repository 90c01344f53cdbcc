@testable import SkyTensor
import Testing

/// Which products the backend splits over threads, and how the pieces cover the output.
@Suite struct ProductSplitTests {
    /// Every product of the tiny preset (C=64, F=176, vocabulary ~1k) in decode and in a short prefill.
    @Test(arguments: [(1, 176, 64), (1, 64, 176), (1, 1024, 64), (16, 176, 64), (16, 64, 176), (64, 64, 64)])
    func tinyModelProductsStayOnTheCallingThread(m: Int, n: Int, k: Int) {
        for threads in [2, 16] {
            #expect(ProductSplit.gemm(m: m, n: n, k: k, threads: threads) == .whole)
            if m == 1 { #expect(ProductSplit.gemv(m: n, n: k, threads: threads) == .whole) }
        }
    }

    @Test func oneThreadNeverSplits() {
        #expect(ProductSplit.gemm(m: 4096, n: 4096, k: 4096, threads: 1) == .whole)
        #expect(ProductSplit.gemv(m: 151_936, n: 896, threads: 1) == .whole)
    }

    @Test func largeProductsUseEveryThreadWithSeveralPiecesEachAlongTheLongerSide() {
        #expect(ProductSplit.gemm(m: 512, n: 1408, k: 512, threads: 2) == ProductSplit(axis: .columns, pieces: 8, workers: 2))
        #expect(ProductSplit.gemm(m: 1408, n: 512, k: 512, threads: 8) == ProductSplit(axis: .rows, pieces: 32, workers: 8))
        #expect(ProductSplit.gemv(m: 8192, n: 512, threads: 4) == ProductSplit(axis: .rows, pieces: 16, workers: 4))
    }

    @Test func piecesNeverOutnumberTheWorkOrTheAlignedRows() {
        // 2^21 multiply-adds pay for two pieces, not sixty-four, and so for two threads.
        #expect(ProductSplit.gemm(m: 128, n: 128, k: 128, threads: 16) == ProductSplit(axis: .rows, pieces: 2, workers: 2))
        // 40 rows hold three 16-row units, so at most three pieces however much work each row has.
        #expect(ProductSplit.gemm(m: 40, n: 8, k: 1 << 20, threads: 16) == ProductSplit(axis: .rows, pieces: 3, workers: 3))
    }

    @Test(arguments: [1, 15, 16, 17, 100, 1408, 8191])
    func piecesTileTheExtentOnAlignedBoundaries(extent: Int) {
        for pieces in 1...9 {
            let split = ProductSplit(axis: .rows, pieces: pieces, workers: 1)
            var next = 0
            for index in 0..<pieces {
                let range = split.range(index, of: extent)
                #expect(range.lowerBound == next)
                #expect(range.lowerBound % ProductSplit.alignment == 0 || range.isEmpty)
                next = range.upperBound
            }
            #expect(next == extent)
        }
    }
}
