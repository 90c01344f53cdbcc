import Foundation
import SkyCore
import Testing

@Suite struct ExperimentExpanderTests {
    /// A small experiment: pretraining from scratch, three variants, two benchmarks.
    static let document = """
        {"experiment": "demo",
         "baseModel": {"init": {"preset": "tiny", "seed": 0}, "pretrain": {"dataset": {"synthetic": {"demonstrations": "short", "count": 40}}, "optimization": {"epochs": 1}}},
         "dataset": {"synthetic": {"seed": 0, "count": 20, "demonstrations": "long"}},
         "train": {"mode": "full", "optimization": {"learningRate": 0.001, "epochs": 2}, "sequences": {"maxLength": 512}},
         "variants": [
           {"name": "correct"},
           {"name": "wrong answers", "perturbations": [{"type": "wrong_answer", "ratio": 1.0}]},
           {"name": "shuffle 100%", "perturbations": [{"type": "shuffle", "ratio": 1.0}], "train": {"optimization": {"epochs": 4}}}],
         "benchmarks": [{"synthetic": {"seed": 0, "perLevel": 2}}, {"name": "other", "builtin": {"seed": 5, "perLevel": 1}}],
         "sampling": {"temperature": 0, "maxNewTokens": 64},
         "eval": {"batchSize": 4},
         "quick": ["base", "shuffle 100%"]}
        """

    static func parse(_ text: String = document) throws -> JSONValue { try JSONValue.parse(Data(text.utf8)) }

    static func edited(_ edit: (inout [String: JSONValue]) -> Void) throws -> JSONValue {
        guard case .object(var fields) = try parse() else { fatalError() }
        edit(&fields)
        return .object(fields)
    }

    static func issues(_ document: JSONValue) -> [SpecIssue] {
        do {
            _ = try ExperimentExpander.plan(document)
            return []
        } catch {
            return error.issues
        }
    }

    @Test func theGridHasOneJobPerStageVariantAndBenchmark() throws {
        let plan = try ExperimentExpander.plan(Self.parse())
        // pretrain + 2 base evals + 3 × (perturb + train + 2 evals)
        #expect(plan.jobs.count == 1 + 2 + 3 * 4)
        #expect(plan.jobs.map(\.stage) == ["pretrain", "eval", "eval"] + Array(repeating: "perturb", count: 3)
            + Array(repeating: "train", count: 3) + Array(repeating: "eval", count: 6))
        let train = try #require(plan.jobs.first { $0.name == "train shuffle 100%" })
        let perturb = try #require(plan.jobs.firstIndex { $0.name == "perturb shuffle 100%" })
        #expect(train.dependsOnIndex == [0, perturb])
        #expect(train.spec["dataset"] == .object(["fromJob": .string("$\(perturb)")]))
        #expect(train.spec["baseModel"] == .object(["fromJob": .string("$0")]))
        #expect(train.tags == ["stage:train", "variant:shuffle 100%"])
        let eval = try #require(plan.jobs.first { $0.name == "eval shuffle 100% on other" })
        #expect(eval.spec["variant"] == .string("shuffle 100%") && eval.spec["adapter"] == nil)
        #expect(eval.spec["model"] == .object(["fromJob": .string("$\(plan.jobs.firstIndex(of: train)!)")]))
        #expect(eval.tags.contains("benchmark:other"))
        let base = plan.jobs[1]
        #expect(base.variant == "base" && base.spec["model"] == .object(["fromJob": .string("$0")]) && base.dependsOnIndex == [0])
        #expect(plan.jobs[0].spec["baseModel"]?["init"]?["preset"] == .string("tiny") && plan.jobs[0].spec["mode"] == .string("full"))
        // The tokenizer also learns the fine-tuning data's words.
        let corpus = plan.jobs[0].spec["baseModel"]?["init"]?["tokenizerCorpus"]?["synthetic"]
        #expect(corpus?["count"] == .number(20) && corpus?["demonstrations"] == .string("long"))
        #expect(Set(plan.jobs.map(\.key)).count == plan.jobs.count)
    }

    @Test func theSyntheticShorthandIsTheBuiltinHeldOutBenchmark() throws {
        let plan = try ExperimentExpander.plan(Self.parse())
        let builtin = plan.jobs[1].spec["benchmarks"]?.value(at: "/0/builtin")
        #expect(builtin?["task"] == .string("synthetic") && builtin?["trainCount"] == nil)
        #expect(plan.jobs[1].spec["benchmarks"]?.value(at: "/0/name") == .string("synthetic"))
    }

    @Test func aVariantsTrainSettingsAreMergedOverTheSharedOnes() throws {
        let plan = try ExperimentExpander.plan(Self.parse())
        let shuffled = try #require(plan.jobs.first { $0.name == "train shuffle 100%" })
        let correct = try #require(plan.jobs.first { $0.name == "train correct" })
        #expect(shuffled.spec["optimization"]?["epochs"] == .number(4) && correct.spec["optimization"]?["epochs"] == .number(2))
        #expect(shuffled.spec["optimization"]?["learningRate"] == .number(0.001))
        #expect(shuffled.spec["sequences"]?["maxLength"] == .number(512))
    }

    @Test func keysAreStableAndChangeWithEverythingUpstream() throws {
        let keys = try ExperimentExpander.plan(Self.parse()).jobs.map(\.key)
        #expect(try ExperimentExpander.plan(Self.parse()).jobs.map(\.key) == keys)

        // The pretraining data feeds every job but the long-CoT perturb jobs.
        let pretrain = try ExperimentExpander.plan(Self.edited { $0["baseModel"] = $0["baseModel"]!.merging(
            .object(["pretrain": .object(["optimization": .object(["epochs": .number(2)])])])) })
        let unchanged = zip(keys, pretrain.jobs.map(\.key)).enumerated().filter { $1.0 == $1.1 }.map { pretrain.jobs[$0.offset].stage }
        #expect(unchanged == ["perturb", "perturb", "perturb"])

        // One variant's training changes its train job and its evals only.
        let override = try ExperimentExpander.plan(Self.edited {
            guard case .array(var variants) = $0["variants"]! else { return }
            variants[0] = variants[0].merging(.object(["train": .object(["seed": .number(7)])]))
            $0["variants"] = .array(variants)
        })
        let changed = zip(keys, override.jobs.map(\.key)).enumerated().filter { $1.0 != $1.1 }.map { override.jobs[$0.offset].name }
        #expect(changed == ["train correct", "eval correct on synthetic", "eval correct on other"])

        // Names and tags are not content; the experiment's name is.
        let renamed = try ExperimentExpander.plan(Self.edited { $0["experiment"] = .string("other") })
        #expect(Set(renamed.jobs.map(\.key)).isDisjoint(with: keys))
    }

    @Test func quickKeepsItsVariantsWithTheSameKeys() throws {
        let full = try ExperimentExpander.plan(Self.parse())
        let quick = try ExperimentExpander.plan(Self.parse(), quick: true)
        #expect(quick.jobs.map(\.name) == ["pretrain base", "eval base on synthetic", "eval base on other", "perturb shuffle 100%",
                                           "train shuffle 100%", "eval shuffle 100% on synthetic", "eval shuffle 100% on other"])
        #expect(Set(quick.jobs.map(\.key)).isSubset(of: Set(full.jobs.map(\.key))))
        #expect(quick.jobs[4].dependsOnIndex == [0, 3])
    }

    @Test func structuralProblemsAreReportedAtTheirPath() throws {
        let issues = Self.issues(try Self.edited {
            $0["extra"] = .number(1)
            $0["quick"] = .array([.string("nope")])
            $0["variants"] = .array([.object(["name": .string("a")]), .object(["name": .string("a"), "colour": .string("red")])])
            $0["eval"] = .object(["model": .object([:])])
        })
        #expect(Set(issues.map(\.pointer)) == ["/extra", "/quick/0", "/variants/1/name", "/variants/1/colour", "/eval/model"])
    }

    /// `seeds` trains and evaluates every variant once per seed, shares the perturbed data and the base model's evals,
    /// and gives seed 0 the keys the same experiment has without `seeds`, so adding seeds reuses what already ran.
    @Test func seedsReplicateTrainAndEvalJobsAndSeedZeroReusesTheUnseededJobs() throws {
        let plain = try ExperimentExpander.plan(try Self.parse())
        let seeded = try ExperimentExpander.plan(try Self.edited { $0["seeds"] = .array([.number(0), .number(1), .number(2)]) })
        let count = { (plan: ExperimentPlan, stage: String) in plan.jobs.filter { $0.stage == stage }.count }
        #expect(count(seeded, "perturb") == 3 && count(seeded, "train") == 9 && count(seeded, "eval") == 2 + 9 * 2)
        let train = seeded.jobs.filter { $0.stage == "train" && $0.variant == "correct" }
        #expect(train.map { $0.spec["seed"] } == [.number(0), .number(1), .number(2)])
        #expect(train.map(\.name) == ["train correct (seed 0)", "train correct (seed 1)", "train correct (seed 2)"])
        #expect(train[1].tags.contains("seed:1") && seeded.jobs.first { $0.name == "eval correct (seed 2) on other" } != nil)
        let plainKeys = Set(plain.jobs.map(\.key))
        let reused = seeded.jobs.filter { plainKeys.contains($0.key) }
        #expect(reused.count == plain.jobs.count && reused.allSatisfy { !$0.tags.contains { $0.hasPrefix("seed:") && $0 != "seed:0" } })
        let issues = Self.issues(try Self.edited { $0["seeds"] = .array([.number(1), .number(1), .number(-2), .string("x")]) })
        #expect(Set(issues.map(\.pointer)) == ["/seeds/1", "/seeds/2", "/seeds/3"])
        #expect(Self.issues(try Self.edited { $0["seeds"] = .array([]) }).map(\.pointer) == ["/seeds"])
    }

    /// `imports` adds one import job per entry, kept in a quick run, whose spec problems point into the entry.
    @Test func importedRowsBecomeImportJobsOfTheExperiment() throws {
        let entry: JSONValue = .object([
            "variant": .string("released"), "benchmark": .string("synthetic"), "format": .string("qwen-math"),
            "file": .object(["path": .string("/data/released.jsonl")]),
        ])
        let document = try Self.edited { $0["imports"] = .array([entry]) }
        for quick in [false, true] {
            let job = try #require(try ExperimentExpander.plan(document, quick: quick).jobs.last)
            #expect(job.stage == "import" && job.kind == .importResults && job.variant == "released" && job.benchmark == "synthetic")
            #expect(job.spec["model"] == .string("released") && job.spec["file"]?["path"] == .string("/data/released.jsonl"))
        }
        let issues = Self.issues(try Self.edited {
            $0["imports"] = .array([
                entry.merging(.object(["format": .string("helm")])),
                entry.merging(.object(["variant": .string("correct")])),
                entry.merging(.object(["colour": .string("red")])),
                .object(["variant": .string("x"), "benchmark": .string("b"), "format": .string("lm-eval")]),
            ])
        })
        // Entry 2 also repeats entry 0's row: a row is imported once.
        #expect(Set(issues.map(\.pointer)) == ["/imports/0/format", "/imports/1/variant", "/imports/2/colour", "/imports/2", "/imports/3/file"])
    }

    @Test func specProblemsAreReportedWhereTheFieldWasWritten() throws {
        let issues = Self.issues(try Self.edited {
            $0["train"] = $0["train"]!.merging(.object(["sequences": .object(["maxLen": .number(5)])]))
            $0["baseModel"] = $0["baseModel"]!.merging(.object(["init": .object(["preset": .string("huge")])]))
            $0["benchmarks"] = .array([.object(["synthetic": .object(["perLevel": .number(0)])])])
            guard case .array(var variants) = $0["variants"]! else { return }
            variants[1] = variants[1].merging(.object(["perturbations": .array([.object(["type": .string("nope")])])]))
            variants[2] = variants[2].merging(.object(["train": .object(["optimization": .object(["epochs": .number(0)])])]))
            $0["variants"] = .array(variants)
        })
        #expect(Set(issues.map(\.pointer)) == [
            "/train/sequences/maxLen", "/baseModel/init/preset", "/benchmarks/0/synthetic/perLevel", "/variants/1/perturbations/0/type",
            "/variants/2/train/optimization/epochs",
        ])
    }

    @Test func aPlainBaseModelIsEvaluatedAsGivenAndLoRAEvalsUseTheAdapter() throws {
        let plan = try ExperimentExpander.plan(Self.edited {
            $0["baseModel"] = .object(["path": .string("/models/qwen")])
            $0["train"] = .object(["mode": .string("lora")])
        })
        #expect(plan.jobs.count == 2 + 3 * 4)
        let eval = try #require(plan.jobs.first { $0.name == "eval correct on other" })
        let train = try #require(plan.jobs.firstIndex { $0.name == "train correct" })
        #expect(eval.spec["model"] == .object(["path": .string("/models/qwen")]))
        #expect(eval.spec["adapter"] == .object(["fromJob": .string("$\(train)")]))
        #expect(plan.jobs[0].spec["model"] == .object(["path": .string("/models/qwen")]) && plan.jobs[0].dependsOnIndex.isEmpty)
    }
}
