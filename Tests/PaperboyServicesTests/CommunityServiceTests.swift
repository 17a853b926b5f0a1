import Foundation
import PaperboyModel
import PaperboyServices
import PaperboyStore
import Testing

@Suite("Community rules")
struct CommunityServiceTests {
    static let paper = Paper(
        id: PaperID(try! ArxivID(parsing: "2503.10001")), title: "A paper", abstract: "About it.",
        categories: ["cs.LG"], announced: CalendarDay(year: 2025, month: 3, day: 14)!)

    static func service(postsPerMinute: Int?) async throws -> CommunityService {
        let papers = MemoryPaperStore()
        _ = try await papers.upsert([Self.paper])
        return CommunityService(
            community: MemoryCommunityStore(), papers: papers, members: MemoryMemberStore(), source: nil,
            postsPerMinute: postsPerMinute)
    }

    static func member(_ id: Int64, role: Member.Role = .member) throws -> Member {
        Member(
            id: id, email: try EmailAddress(parsing: "m\(id)@example.org"), displayName: "M\(id)", role: role,
            created: Date(timeIntervalSince1970: 0))
    }

    @Test("the posting limit: a burst of twice the rate, refills with time, per member, not for moderators")
    func postingLimit() async throws {
        let community = try await Self.service(postsPerMinute: 1)
        let ada = try Self.member(1)
        let start = Date(timeIntervalSince1970: 1_000_000)
        let first = try await community.addComment(to: Self.paper.id, by: ada, body: "one", now: start)
        _ = try await community.editComment(first.id, by: ada, body: "one, edited", now: start)
        await #expect(throws: ServiceError.self) {
            try await community.createCollection(by: ada, name: "Reading", isPublic: true, now: start)
        }
        do {
            _ = try await community.addComment(to: Self.paper.id, by: ada, body: "three", now: start)
            Issue.record("a third post at once was allowed")
        } catch let error as ServiceError {
            #expect(error.code == .rateLimited)
            #expect(error.message.contains("1 comments, edits, submissions or collections a minute"))
        }
        #expect(try await community.thread(of: Self.paper.id, viewer: nil).count == 1, "refused posts store nothing")
        // A minute later there is room for one more.
        _ = try await community.createCollection(by: ada, name: "Reading", isPublic: true, now: start + 60)
        // Another member has an allowance of their own; a moderator has no limit.
        _ = try await community.addComment(to: Self.paper.id, by: try Self.member(2), body: "mine", now: start)
        let moderator = try Self.member(3, role: .moderator)
        for number in 1...10 {
            _ = try await community.addComment(to: Self.paper.id, by: moderator, body: "note \(number)", now: start)
        }
        #expect(try await community.thread(of: Self.paper.id, viewer: nil).count == 12)
    }

    @Test("no limit when none is set")
    func unlimited() async throws {
        let community = try await Self.service(postsPerMinute: 0)
        #expect(community.postsPerMinute == nil)
        let ada = try Self.member(1)
        for number in 1...50 {
            _ = try await community.addComment(to: Self.paper.id, by: ada, body: "note \(number)")
        }
        #expect(try await community.thread(of: Self.paper.id, viewer: nil).count == 50)
    }
}
