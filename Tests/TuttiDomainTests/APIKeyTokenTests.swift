import Foundation
import Testing
import TuttiDomain

@Suite("API key tokens")
struct APIKeyTokenTests {
    @Test func generatedTokenParsesBackToTheSamePrefixAndSecret() throws {
        let token = APIKeyToken.generate()
        let parsed = try #require(APIKeyToken(parsing: token.text))
        #expect(parsed == token)
        #expect(token.text.hasPrefix("tutti_"))
        #expect(token.prefix.count == 16)
        #expect(token.secret.count == 43)
    }

    @Test func twoGeneratedTokensDiffer() {
        #expect(APIKeyToken.generate() != APIKeyToken.generate())
    }

    @Test(arguments: [
        "", "tutti", "tutti_", "Bearer x", "tutti_0123456789abcdef_short",
        "tutti_0123456789abcdeg_" + String(repeating: "a", count: 43),
        "other_0123456789abcdef_" + String(repeating: "a", count: 43),
        "tutti_0123456789abcdef_" + String(repeating: "a", count: 42) + "!",
        "tutti_0123456789abcdef_" + String(repeating: "é", count: 43),
    ])
    func garbageIsNotAToken(_ text: String) {
        #expect(APIKeyToken(parsing: text) == nil)
    }
}

@Suite("Roles")
struct APIKeyRoleTests {
    @Test func viewerMayOnlyRead() {
        #expect(APIKeyRole.viewer.permits(.read))
        #expect(!APIKeyRole.viewer.permits(.write))
        #expect(!APIKeyRole.viewer.permits(.administer))
        #expect(!APIKeyRole.viewer.permits(.ingest))
    }

    @Test func ingestKeyMayOnlyIngest() {
        #expect(APIKeyRole.ingest.permits(.ingest))
        #expect(!APIKeyRole.ingest.permits(.read))
        #expect(!APIKeyRole.ingest.permits(.write))
    }

    @Test func editorMayWriteButNotAdminister() {
        #expect(APIKeyRole.editor.permits(.write))
        #expect(!APIKeyRole.editor.permits(.administer))
    }

    @Test func adminMayDoEverything() {
        for permission in Permission.allCases { #expect(APIKeyRole.admin.permits(permission)) }
    }
}
