import Gateway
import GatewayModel
import Testing

/// The Stepper (stage by stage), determinism from the id seed, and cancellation.
@Suite struct StepperAndDeterminismTests {
    // MARK: - Stepper

    @Test func mockRequestRunsEveryStageInOrder() throws {
        let s = Stepper(request: request("GET", "/dev/pets"), env: try env(Models.mock()))
        var order: [StageName] = []
        while let next = s.nextStage {
            order.append(next)
            let events = s.step()
            #expect(!events.isEmpty, "\(next) added no trace event")
            #expect(events.allSatisfy { $0.stage == next }, "\(next) added events of another stage")
        }
        // `edge` runs only for requests by URL; `response` is the HTTP API pipeline's last stage.
        let rest = StageName.allCases.filter { $0 != .response && $0 != .edge }
        #expect(order == rest)
        #expect(RestPipeline.stages.map(\.name) == rest)
        #expect(s.isFinished)
        #expect(s.nextStage == nil)
        #expect(s.step().isEmpty)
        #expect(s.exchange.response?.status == 200)
        #expect(s.exchange.trace.map(\.stage) == rest)
    }

    @Test func nextStageProgression() throws {
        let s = Stepper(request: request("GET", "/dev/pets"), env: try env(Models.mock()))
        #expect(s.nextStage == .endpoint)
        #expect(!s.isFinished)
        #expect(s.exchange.response == nil)
        s.step()
        #expect(s.nextStage == .route)
        #expect(s.exchange.stageName == "dev")
        #expect(s.exchange.resourcePath == nil)
        s.step()
        #expect(s.nextStage == .auth)
        #expect(s.exchange.resourcePath == "/pets")
        s.step()
        #expect(s.nextStage == .usagePlan)
        s.step()
        #expect(s.nextStage == .methodRequest)
        #expect(!s.exchange.log.contains { $0.text.hasPrefix("Starting execution") })
        s.step()
        #expect(s.nextStage == .integrationRequest)
        #expect(s.exchange.log.contains { $0.text.hasPrefix("Starting execution") })
        s.step()
        #expect(s.nextStage == .integration)
        #expect(s.exchange.integrationRequestBody == #"{"statusCode": 200}"#)
        s.step()
        #expect(s.nextStage == .integrationResponse)
        #expect(s.exchange.integrationStatus == "200")
        s.step()
        #expect(s.nextStage == .methodResponse)
        #expect(s.exchange.response == nil)
        s.step()
        #expect(s.nextStage == nil)
        #expect(s.exchange.response?.status == 200)
    }

    @Test func failureFinishesTheStepper() throws {
        let s = Stepper(request: request("GET", "/dev/nope"), env: try env(Models.mock()))
        var order: [StageName] = []
        while let next = s.nextStage { order.append(next); s.step() }
        #expect(order == [.endpoint, .route])
        #expect(s.exchange.response?.status == 403)
        #expect(s.exchange.failure?.type == .missingAuthenticationToken)
    }

    @Test func runToEndEqualsSend() throws {
        let a = Stepper(request: request("GET", "/dev/pets"), env: try env(Models.mock()))
        a.runToEnd()
        let b = try env(Models.mock()).send(request("GET", "/dev/pets"))
        #expect(a.exchange.response == b.response)
        #expect(a.exchange.trace == b.trace)
        #expect(a.exchange.log == b.log)
    }

    // MARK: - Determinism

    func sendTwice(_ yaml: String, seeds: (UInt64, UInt64), lambda: () -> TestLambda? = { nil },
                   _ r: ClientRequest) throws -> (Exchange, Exchange) {
        let a = try env(yaml, seed: seeds.0, lambda: lambda()).send(r)
        let b = try env(yaml, seed: seeds.1, lambda: lambda()).send(r)
        return (a, b)
    }

    @Test func sameSeedGivesByteIdenticalMockExchanges() throws {
        let (a, b) = try sendTwice(Models.mock(), seeds: (7, 7), request("GET", "/dev/pets?x=1"))
        #expect(a.response == b.response)
        #expect(a.response?.headers == b.response?.headers)
        #expect(a.trace == b.trace)
        #expect(a.log == b.log)
        #expect(a.requestId == b.requestId)
        #expect(ExecutionLog.cloudWatchFormat(a) == ExecutionLog.cloudWatchFormat(b))
    }

    @Test func sameSeedGivesByteIdenticalLambdaExchanges() throws {
        let (a, b) = try sendTwice(Models.proxy(), seeds: (42, 42), lambda: { TestLambda(returning: #"{"statusCode": 201, "body": "x"}"#, durationMillis: 37) },
                                   request("POST", "/stage/a/b?q=1", headers: [("User-Agent", "t")], body: "hi"))
        #expect(a.status == 201)
        #expect(a.response == b.response)
        #expect(a.trace == b.trace)
        #expect(a.log == b.log)
        #expect(a.lambdaEvent == b.lambdaEvent)
        #expect(a.lambdaRequestId == b.lambdaRequestId)
        #expect(a.integrationRequestBody == b.integrationRequestBody)
    }

    @Test func differentSeedGivesDifferentIds() throws {
        let (a, b) = try sendTwice(Models.mock(), seeds: (1, 2), request("GET", "/dev/pets"))
        #expect(a.requestId != b.requestId)
        #expect(a.extendedRequestId != b.extendedRequestId)
        #expect(a.edge.traceId != b.edge.traceId)
        #expect(a.header("x-amzn-RequestId") != b.header("x-amzn-RequestId"))
        #expect(a.bodyText == b.bodyText)  // only the ids differ
        #expect(a.status == b.status)
    }

    @Test func successiveRequestsInOneEnvironmentGetNewIds() throws {
        let e = try env(Models.mock())
        let a = e.send(request("GET", "/dev/pets"))
        let b = e.send(request("GET", "/dev/pets"))
        #expect(a.requestId != b.requestId)
        #expect(a.extendedRequestId != b.extendedRequestId)
    }

    @Test(arguments: [0, 1, 7, 42, UInt64.max] as [UInt64])
    func idFormats(_ seed: UInt64) throws {
        let x = try env(Models.mock(), seed: seed).send(request("GET", "/dev/pets"))
        // Request ids are lower-case version-4 UUIDs.
        #expect(x.requestId.wholeMatch(of: #/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/#) != nil)
        // extendedRequestId: 16 characters of the base64 alphabet ending in `=` (rule 62).
        #expect(x.extendedRequestId.wholeMatch(of: #/[A-Za-z0-9_-]{15}=/#) != nil)
        // Trace root: Root=1-<8 hex of the epoch seconds>-<24 hex>.
        #expect(x.edge.traceId.wholeMatch(of: #/Root=1-69a97040-[0-9a-f]{24}/#) != nil)
        #expect(x.edge.cfId.wholeMatch(of: #/[A-Za-z0-9_-]{54}==/#) != nil)
    }

    @Test func idGeneratorIsAPureFunctionOfTheSeed() {
        var a = IdGenerator(seed: 99), b = IdGenerator(seed: 99), c = IdGenerator(seed: 100)
        let sa = (0..<5).map { _ in a.next() }, sb = (0..<5).map { _ in b.next() }, sc = (0..<5).map { _ in c.next() }
        #expect(sa == sb)
        #expect(sa != sc)
        #expect(Set(sa).count == 5)
    }

    // MARK: - Cancellation

    @Test func cancelledBeforeTheFirstStage() throws {
        let e = try env(Models.mock())
        e.isCancelled = { true }
        let x = e.send(request("GET", "/dev/pets"))
        #expect(x.cancelled)
        #expect(x.response == nil)
        #expect(x.isFinished)
        #expect(x.log.isEmpty)
        #expect(x.trace.count == 1)
        #expect(x.trace.first?.outcome == .cancelled)
        #expect(x.trace.first?.stage == .endpoint)
        #expect(x.trace.first?.summary == "cancelled (Ctrl-C): no response")
    }

    final class Counter: @unchecked Sendable { var polls = 0 }

    @Test(arguments: [1, 3, 5, 8])
    func cancelledBetweenStages(_ afterStages: Int) throws {
        let e = try env(Models.mock())
        let counter = Counter()
        e.isCancelled = { counter.polls += 1; return counter.polls > afterStages }
        let x = e.send(request("GET", "/dev/pets"))
        #expect(x.cancelled)
        #expect(x.response == nil)
        let last = try #require(x.trace.last)
        #expect(last.outcome == .cancelled)
        // The cancelled event belongs to the stage that did not run.
        let rest = RestPipeline.stages.map(\.name)
        #expect(last.stage == rest[afterStages])
        #expect(Set(x.trace.dropLast().map(\.stage)) == Set(rest.prefix(afterStages)))
    }

    @Test func stepperCancelStopsTheRequest() throws {
        let s = Stepper(request: request("GET", "/dev/pets"), env: try env(Models.mock()))
        s.step()
        s.step()
        s.cancel()
        #expect(s.exchange.cancelled)
        #expect(s.isFinished)
        #expect(s.nextStage == nil)
        #expect(s.step().isEmpty)
        #expect(s.exchange.response == nil)
        #expect(s.exchange.trace.last?.outcome == .cancelled)
        #expect(s.exchange.trace.last?.stage == .auth)
    }

    @Test func cancelAfterTheResponseChangesNothing() throws {
        let s = Stepper(request: request("GET", "/dev/pets"), env: try env(Models.mock()))
        s.runToEnd()
        let before = s.exchange.trace
        s.cancel()
        #expect(!s.exchange.cancelled)
        #expect(s.exchange.trace == before)
        #expect(s.exchange.response?.status == 200)
    }
}

/// `back` and `set` (the shell's debugger) on the Stepper.
@Suite struct StepperRewindTests {
    @Test func backRestoresTheExchangeAndTheEnvironmentAndReplaysTheSameAnswer() throws {
        let e = try env(Models.mock())
        let s = Stepper(request: request("GET", "/dev/pets"), env: e)
        s.keepsSnapshots = true
        for _ in 0..<4 { s.step() }
        let clock = e.clock, ids = e.ids
        let afterFour = s.exchange.trace.count
        s.step()
        s.step()
        #expect(s.back() == .integrationRequest)
        #expect(s.back() == .methodRequest)
        #expect(s.exchange.trace.count == afterFour && e.clock == clock && e.ids == ids)
        s.runToEnd()
        let replay = s.exchange
        let fresh = try env(Models.mock()).send(request("GET", "/dev/pets"))
        #expect(replay.response == fresh.response)
        #expect(s.stagesRun == RestPipeline.stages.count)
    }

    @Test func modifyChangesTheExchangeAndSaysSoInTheTrace() throws {
        let e = try env(Models.mock())
        let s = Stepper(request: request("GET", "/dev/pets"), env: e)
        while s.nextStage != .integrationResponse { s.step() }
        s.modify("integration.status = 500") { $0.integrationStatus = "500" }
        #expect(s.exchange.trace.last?.summary == "changed by hand: integration.status = 500")
        s.runToEnd()
        // The mock model has no 500 pattern and a default 200 response: the default answers.
        #expect(s.exchange.response?.status == 200)
        #expect(s.back() == nil)  // no snapshots without keepsSnapshots
    }
}
