import Foundation
import Logging
import NIOCore
import NIOHTTP1
import PostgresNIO
import SkyCore
import SkyStore
import SkyTestSupport
import Testing

/// A fleet for real: `skyd serve` exposes its embedded PostgreSQL over TCP with TLS (a certificate the test makes) and a
/// password (SCRAM), through the `--postgres-setting`s that README's "A fleet" names, and three workers, each in a
/// network namespace and a UTS namespace of its own (its own address and host name) with a data directory of its own,
/// run a small perturb → train → eval experiment together with `sslmode=require`. Jobs must spread across hosts, every
/// input a job took from another job must have come from another host (only the database joins them), and the table
/// must equal the one the same experiment gives on a single worker. A connection without TLS, a wrong password and
/// a certificate that `verify-full` cannot trace to its `sslrootcert` are refused.
extension FaultToleranceTests {
    /// The experiment both runs share but for its name: the fault-tolerance experiment made short (a 4-step pretraining
    /// that checkpoints), with LoRA variants so that adapters travel too, and a third variant.
    static func fleetExperiment(_ name: String) -> JSONValue {
        experiment.merging(.object([
            "experiment": .string(name),
            "baseModel": .object(["pretrain": .object([
                "dataset": .object(["synthetic": .object(["count": .number(16)])]),
                "optimization": .object(["microBatchSize": .number(4)]), "checkpointEvery": .number(2),
            ])]),
            // A learning rate high enough that four steps move each variant's greedy answers away from the base's.
            "train": .object(["mode": .string("lora"), "checkpointEvery": .number(1),
                              "optimization": .object(["microBatchSize": .number(2), "learningRate": .number(0.05)])]),
            "variants": .array([
                .object(["name": .string("correct")]),
                .object(["name": .string("shuffle 100%"), "perturbations": .array([.object(["type": .string("shuffle")])])]),
                .object(["name": .string("insert 100%"), "perturbations": .array([.object(["type": .string("insert")])])]),
            ]),
            "sampling": .object(["maxNewTokens": .number(8)]),
        ]))
    }

    @Test(.timeLimit(.minutes(6))) func aFleetOfHostsReachingPostgresOverTLSRunsAnExperimentAsOneWorkerDoes() async throws {
        let hosts: [NetworkNamespace]
        do {
            hosts = try NetworkNamespace.create(count: 3)
        } catch {
            // Said loudly rather than passed: the fleet needs root (CI and `make test` run as root).
            Issue.record("cannot make network namespaces joined by veth pairs (not root?): fleet scenario not run: \(error)")
            return
        }
        defer { for host in hosts { host.remove() } }

        let directory = URL(fileURLWithPath: "/tmp/sky-fleet-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        let tls = directory.appendingPathComponent("tls")
        try FileManager.default.createDirectory(at: tls, withIntermediateDirectories: true)
        chmod(directory.path, 0o755)
        chmod(tls.path, 0o755)
        defer { try? FileManager.default.removeItem(at: directory) }
        // The last host's address is left out of the server's certificate, so that verify-full has a name to refuse.
        let certificate = try Self.selfSignedCertificate(in: tls, name: "server", addresses: hosts.dropLast().map(\.hostAddress))
        let stranger = try Self.selfSignedCertificate(in: tls, name: "stranger", addresses: hosts.map(\.hostAddress))
        // Only the socket (skyd's own connections) is trusted; the hosts' subnets get in over TLS with the password, and
        // there is no `host` line, so a connection without TLS matches nothing and is refused.
        let hba = tls.appendingPathComponent("pg_hba.conf")
        try Data(((["local all all trust"] + hosts.map { "hostssl all all \($0.subnet) scram-sha-256" }).joined(separator: "\n") + "\n").utf8)
            .write(to: hba)
        chmod(hba.path, 0o644)
        let port = Int.random(in: 40_000...44_000)
        let serving = ["--data-dir", directory.path, "--postgres-port", String(port)] + [
            "listen_addresses=\(hosts.map(\.hostAddress).joined(separator: ","))", "ssl=on",
            "ssl_cert_file=\(certificate.certificate.path)", "ssl_key_file=\(certificate.key.path)", "hba_file=\(hba.path)",
        ].flatMap { ["--postgres-setting", $0] }
        let password = (0..<4).map { _ in String(UInt32.random(in: 0...UInt32.max), radix: 36) }.joined()
        let socketURL = "postgresql://\(EmbeddedPostgres.username)@/\(EmbeddedPostgres.database)?host=\(directory.path)/run&port=\(port)"
        func url(_ host: NetworkNamespace, password: String = password, _ query: String) -> String {
            "postgres://\(EmbeddedPostgres.username):\(password)@\(host.hostAddress):\(port)/\(EmbeddedPostgres.database)?\(query)"
        }

        try await withSkyd(serving: serving) { skyd in
            let socket = PostgresClient.Configuration(unixSocketPath: "\(directory.path)/run/.s.PGSQL.\(port)",
                                                      username: EmbeddedPostgres.username, password: nil, database: EmbeddedPostgres.database)
            try await withRunningClient(PostgresClient(configuration: socket)) { sql in
                try await sql.query(PostgresQuery(unsafeSQL: "ALTER ROLE \(EmbeddedPostgres.username) PASSWORD '\(password)'"))

                // Refusals first, each from a namespaced host: no TLS, then TLS with a wrong password.
                let plain = try await Self.refusal(url(hosts[0], "sslmode=disable"), host: hosts[0], in: directory)
                #expect(plain.contains("no pg_hba.conf entry") && plain.contains("no encryption"),
                        "a worker with sslmode=disable was not refused for want of TLS: \(plain)")
                let wrong = try await Self.refusal(url(hosts[1], password: "not-\(password)", "sslmode=require"), host: hosts[1], in: directory)
                #expect(wrong.contains("password authentication failed"), "a wrong password was not refused: \(wrong)")
                // verify-full: the server's own certificate as the root passes at an address it names, not at one it does
                // not (where verify-ca, which checks no name, passes), and another self-signed root fails.
                let root = "sslrootcert=\(certificate.certificate.path)"
                let verified = try await Self.connectsOverTLS(url(hosts[0], "sslmode=verify-full&\(root)"))
                #expect(verified == nil, "verify-full against the server's certificate failed: \(verified ?? "")")
                let misnamed = try await Self.connectsOverTLS(url(hosts[2], "sslmode=verify-full&\(root)"))
                #expect(misnamed != nil, "verify-full accepted a certificate that does not name \(hosts[2].hostAddress)")
                let unnamed = try await Self.connectsOverTLS(url(hosts[2], "sslmode=verify-ca&\(root)"))
                #expect(unnamed == nil, "verify-ca checked the host's name too: \(unnamed ?? "")")
                let untrusted = try await Self.connectsOverTLS(url(hosts[0], "sslmode=verify-full&sslrootcert=\(stranger.certificate.path)"))
                #expect(untrusted != nil, "verify-full accepted a certificate its sslrootcert did not sign")
                print("fleet: refused without TLS: \(plain.prefix(200)); with a wrong password: \(wrong.prefix(200)); verify-full at an address the certificate does not name: \((misnamed ?? "").prefix(200))")

                let api = FaultAPI(url: skyd.url, token: skyd.token)
                let names = hosts.indices.map { "sky-host-\($0 + 1)" }
                var fleet: [Process] = []
                defer { for worker in fleet where worker.isRunning { worker.terminate(); worker.waitUntilExit() } }
                for (index, host) in hosts.enumerated() {
                    fleet.append(try await startWorker(databaseURL: url(host, "sslmode=require"), index: index,
                                                       dataDirectory: directory.appendingPathComponent(names[index]),
                                                       namespace: host.name, hostname: names[index]))
                }
                // All three registered before anything is submitted, so that a slow start cannot leave one host all the work.
                let registered = try await eventually(timeout: .seconds(120)) {
                    try await Self.count(sql, "SELECT count(DISTINCT host)::int FROM workers WHERE host = ANY(\(names)) AND stopped_at IS NULL") == names.count
                }
                try #require(registered, "the namespaced workers did not all register")
                let fleetSeconds = try await Self.runExperiment(Self.fleetExperiment("fleet"), api: api, sql: sql)
                let connections = try await Self.pairs(sql, """
                    SELECT CASE WHEN s.ssl THEN 'tls' ELSE 'plain' END, count(*)::int FROM pg_stat_activity a
                    JOIN pg_stat_ssl s USING (pid) WHERE a.client_addr IS NOT NULL GROUP BY 1
                    """)
                #expect(connections["plain"] == nil && (connections["tls"] ?? 0) > 0, "the hosts' connections: \(connections)")
                for worker in fleet { worker.terminate(); worker.waitUntilExit() }

                let single = try await startWorker(databaseURL: socketURL, index: 9, dataDirectory: directory.appendingPathComponent("single"))
                defer { if single.isRunning { single.terminate(); single.waitUntilExit() } }
                let singleSeconds = try await Self.runExperiment(Self.fleetExperiment("single"), api: api, sql: sql)

                let jobsByHost = try await Self.pairs(sql, """
                    SELECT w.host, count(*)::int FROM jobs j JOIN workers w ON w.id = j.worker_id WHERE j.experiment = 'fleet' GROUP BY w.host
                    """)
                #expect(jobsByHost.count > 1, "the fleet's jobs ran on one host: \(jobsByHost)")
                #expect(Set(jobsByHost.keys).isSubset(of: names), "jobs ran on hosts outside the fleet: \(jobsByHost)")
                let edges = try await Self.pairs(sql, """
                    SELECT CASE WHEN wc.host = wp.host THEN 'same host' ELSE 'across hosts' END, count(*)::int
                    FROM job_dependencies d JOIN jobs c ON c.id = d.job_id JOIN jobs p ON p.id = d.depends_on
                    JOIN workers wc ON wc.id = c.worker_id JOIN workers wp ON wp.id = p.worker_id
                    WHERE c.experiment = 'fleet' GROUP BY 1
                    """)
                #expect((edges["across hosts"] ?? 0) > 0, "no job took an input made on another host: \(edges)")
                // Inputs are named only as jobs, generated data or an initialisation: no path another host could read.
                let paths = try await Self.pairs(sql, "SELECT name, 1 FROM jobs WHERE experiment = 'fleet' AND spec::text LIKE '%\"path\"%'")
                #expect(paths.isEmpty, "specs that name a file: \(paths.keys.sorted())")
                let travelled = try await Self.pairs(sql, """
                    SELECT a.kind, count(*)::int FROM artifacts a JOIN jobs j ON j.id = a.job_id
                    WHERE j.experiment = 'fleet' AND a.state = 'ready' GROUP BY a.kind
                    """)

                let tables = (fleet: try await Self.table("fleet", api), single: try await Self.table("single", api))
                #expect(!tables.fleet.isEmpty && tables.fleet == tables.single,
                        "the fleet's table differs from one worker's:\n\(tables.fleet)\n\(tables.single)")
                let losses = (fleet: try await Self.finalLosses("fleet", sql), single: try await Self.finalLosses("single", sql))
                #expect(losses.fleet.count == 4 && losses.fleet == losses.single, "final losses differ: \(losses.fleet) vs \(losses.single)")
                // The table's cells are all 0 after so short a training, so the test goes below them: the same bytes in.
                let outputs = (fleet: try await Self.outputs("fleet", sql), single: try await Self.outputs("single", sql))
                #expect(outputs.fleet.count == 7 && outputs.fleet == outputs.single,
                        "datasets, models or generations differ:\n\(outputs.fleet.keys.sorted())\n\(outputs.single.keys.sorted())")

                print("""
                    fleet: 3 hosts (own network and UTS namespaces, own data directories) over TLS with a password: \
                    \(fleetSeconds) s; jobs by host \(jobsByHost.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")); \
                    dependencies \(edges.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")); \
                    artifacts stored \(travelled.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))
                    fleet: one worker on the Unix socket: \(singleSeconds) s; tables equal: \(tables.fleet == tables.single) \
                    (\(tables.fleet.count) rows); final losses equal: \(losses.fleet == losses.single) \(losses.fleet.sorted { $0.key < $1.key }); \
                    perturbed datasets, eval models and generations equal: \(outputs.fleet == outputs.single) (\(outputs.fleet.count)); \
                    distinct generations among the 4 eval runs: \(Set(outputs.fleet.keys.compactMap { $0.split(separator: " ").last }.filter { $0.count == 32 }).count)
                    fleet: table \(tables.fleet.joined(separator: " "))
                    """)
            }
        }
    }

    /// A certificate for `addresses` (as IP subject alternative names) signed by its own key, the key readable by the
    /// postgres user alone as PostgreSQL demands.
    static func selfSignedCertificate(in directory: URL, name: String, addresses: [String]) throws -> (certificate: URL, key: URL) {
        let certificate = directory.appendingPathComponent("\(name).crt")
        let key = directory.appendingPathComponent("\(name).key")
        try NetworkNamespace.run("/usr/bin/openssl", [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=sky-\(name)",
            "-addext", "subjectAltName=\(addresses.map { "IP:\($0)" }.joined(separator: ","))",
            "-keyout", key.path, "-out", certificate.path,
        ])
        chmod(certificate.path, 0o644)
        chmod(key.path, 0o600)
        if let postgres = getpwnam("postgres") { chown(key.path, postgres.pointee.pw_uid, postgres.pointee.pw_gid) }
        return (certificate, key)
    }

    /// What a worker inside `host` says when the database refuses it; fails the test if it does not exit.
    static func refusal(_ databaseURL: String, host: NetworkNamespace, in directory: URL) async throws -> String {
        let log = directory.appendingPathComponent("refused-\(UInt32.random(in: 0...UInt32.max)).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        let worker = try await startWorker(databaseURL: databaseURL, index: 8, dataDirectory: directory.appendingPathComponent("refused"),
                                           namespace: host.name, standardError: handle)
        let exited = try await eventually(timeout: .seconds(60)) { !worker.isRunning }
        if !exited {
            worker.terminate()
            worker.waitUntilExit()
            Issue.record("a worker the database refuses kept running")
        }
        return ((try? String(contentsOf: log, encoding: .utf8)) ?? "") + " (exit \(worker.terminationStatus))"
    }

    /// nil when a connection to `databaseURL` is made and is encrypted, else why not.
    static func connectsOverTLS(_ databaseURL: String) async throws -> String? {
        let configuration = try DatabaseConfiguration(url: databaseURL)
        let logger = Logger(label: "sky.test.fleet")
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: configuration.connection, id: 1, logger: logger)
        } catch {
            return String(reflecting: error)
        }
        var answer: String? = "no pg_stat_ssl row"
        do {
            for try await ssl in try await connection.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", logger: logger)
                .decode(Bool.self) { answer = ssl ? nil : "connected without TLS" }
        } catch {
            answer = String(reflecting: error)
        }
        try? await connection.close()
        return answer
    }

    /// Submits `experiment`, waits until every job has finished, expects all to have succeeded; its wall seconds.
    static func runExperiment(_ experiment: JSONValue, api: FaultAPI, sql: PostgresClient) async throws -> Int {
        let name = experiment["experiment"]?.stringValue ?? ""
        let started = ContinuousClock.now
        let plan = try await api.send(.POST, "/v1/experiments", body: experiment)
        try #require(plan["jobs"] != nil, "experiment \(name) not submitted: \(plan)")
        let done = try await eventually(timeout: .seconds(900)) {
            try await count(sql, "SELECT count(*)::int FROM jobs WHERE experiment = \(name) AND state NOT IN ('succeeded', 'failed', 'cancelled')") == 0
        }
        let seconds = Int((ContinuousClock.now - started) / .seconds(1))
        let failures = try await pairs(sql, "SELECT name || ': ' || COALESCE(error, state), 1 FROM jobs WHERE experiment = \(name) AND state <> 'succeeded'")
        #expect(done && failures.isEmpty, "experiment \(name) after \(seconds) s: \(failures.keys.sorted())")
        return seconds
    }

    /// The experiment's table without the ids of the jobs and runs behind each cell, which differ between runs.
    static func table(_ name: String, _ api: FaultAPI) async throws -> [String] {
        guard case .array(let rows)? = try await api.send(.GET, "/v1/experiments/\(name)/table")["rows"] else { return [] }
        return rows.map { row in
            guard case .object(var fields) = row else { return "\(row)" }
            if case .object(var scores)? = fields["scores"] {
                for (benchmark, score) in scores {
                    guard case .object(var cell) = score else { continue }
                    cell["jobId"] = nil
                    cell["runId"] = nil
                    scores[benchmark] = .object(cell)
                }
                fields["scores"] = .object(scores)
            }
            return String(decoding: JSONValue.object(fields).encoded(), as: UTF8.self)
        }
    }

    /// Each train job's final training loss, by job name.
    static func finalLosses(_ experiment: String, _ sql: PostgresClient) async throws -> [String: String] {
        var losses: [String: String] = [:]
        let rows = try await sql.query("""
            SELECT name, COALESCE(result->'summary'->>'finalLoss', 'none') FROM jobs WHERE experiment = \(experiment) AND kind = 'train'
            """)
        for try await (name, loss) in rows.decode((String, String).self) { losses[name] = loss }
        return losses
    }

    /// What the experiment made, keyed so that equal runs give equal keys: each perturbed dataset's digest by job name,
    /// and each eval run's variant, model digest and a digest of its generations in problem order. (Not the adapter's
    /// digest: its adapter_config.json names the base model as `sky-job:<id>`, and the ids differ between the runs.)
    static func outputs(_ experiment: String, _ sql: PostgresClient) async throws -> [String: Int] {
        let datasets = try await pairs(sql, """
            SELECT j.name || ' ' || a.sha256, 1 FROM artifacts a JOIN jobs j ON j.id = a.job_id
            WHERE j.experiment = \(experiment) AND j.kind = 'perturb' AND a.kind = 'dataset' AND a.state = 'ready'
            """)
        let evals = try await pairs(sql, """
            SELECT r.variant || ' ' || r.model_sha256 || ' ' || (r.adapter_sha256 IS NOT NULL)::text || ' '
                   || md5(string_agg(s.output, E'\\x1f' ORDER BY s.problem_id, s.sample_index)), count(*)::int
            FROM eval_runs r JOIN eval_samples s ON s.run_id = r.id WHERE r.experiment = \(experiment)
            GROUP BY r.id, r.variant, r.model_sha256, r.adapter_sha256
            """)
        return datasets.merging(evals) { $0 + $1 }
    }

    /// (text, integer) rows as a dictionary.
    static func pairs(_ sql: PostgresClient, _ query: PostgresQuery) async throws -> [String: Int] {
        var result: [String: Int] = [:]
        for try await (key, value) in try await sql.query(query).decode((String, Int).self) { result[key, default: 0] += value }
        return result
    }
}
