import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TuttiRuntime

@Suite("Campaign launch races")
struct CampaignLaunchRaceTests {
    /// Two launches of one draft at the same moment, ten times: each time exactly one is
    /// launched and the other answers 409 with the state it lost to.
    @Test func ofTwoSimultaneousLaunchesOneWinsAndTheOtherIsRefused() async throws {
        try await withAPI { client in
            let fixture = try await client.campaignFixture()
            for round in 0..<10 {
                let id = try #require(
                    try await client.createCampaign(fixture.tenant, fixture.definition(name: "Race \(round)"))["id"] as? String)
                let answers = try await withThrowingTaskGroup(of: (UInt, String?).self) { group in
                    for _ in 0..<2 {
                        group.addTask {
                            let (status, body) = try await client.send(.post, "/v1/campaigns/\(id)/launch", fixture.tenant)
                            return (UInt(status.code), body["type"] as? String ?? body["state"] as? String)
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(answers.map(\.0).sorted() == [200, 409], "round \(round): \(answers)")
                #expect(
                    Set(answers.map(\.1)) == ["scheduled", "urn:tutti:problem:campaign-scheduled"], "round \(round): \(answers)")
            }
        }
    }
}
