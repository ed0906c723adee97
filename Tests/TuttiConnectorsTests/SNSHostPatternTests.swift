import Testing
import TuttiConnectors

/// Which URLs SNS certificates and confirmations may be fetched from (`TUTTI_SNS_CERT_HOSTS`).
@Suite("SNS host patterns")
struct SNSHostPatternTests {
    @Test func amazonHostsOnlyOverHTTPS() {
        let hosts = SNSHostPatterns.amazon
        #expect(hosts.allows("https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-abc.pem"))
        #expect(hosts.allows("https://SNS.cn-north-1.amazonaws.com.cn/cert.pem"))
        for url in [
            "http://sns.eu-west-1.amazonaws.com/cert.pem", "https://sns.eu-west-1.amazonaws.com.evil.example/cert.pem",
            "https://sns.a.b.amazonaws.com/cert.pem", "https://evil.example/sns.eu-west-1.amazonaws.com",
            "https://sns..amazonaws.com/cert.pem", "https://user@sns.eu-west-1.amazonaws.com/cert.pem",
            "https://s3.eu-west-1.amazonaws.com/cert.pem", "not a url", "",
        ] {
            #expect(!hosts.allows(url), "\(url)")
        }
    }

    @Test func starIsPartOfOneLabel() {
        let hosts = SNSHostPatterns(["127.0.0.1", "sns-*.example.com"])
        #expect(hosts.allows("https://127.0.0.1:8443/cert.pem"))
        #expect(hosts.allows("https://sns-eu.example.com/cert.pem"))
        #expect(!hosts.allows("https://sns-.example.com/cert.pem"))
        #expect(!hosts.allows("https://127.0.0.2/cert.pem"))
    }
}
