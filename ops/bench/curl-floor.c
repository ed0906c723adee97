/*
 * The floor of the delivery worker's HTTP side: a single-threaded C program that POSTs a
 * webhook-sized JSON body with the worker's headers and libcurl options through one libcurl
 * multi handle, keeping IN_FLIGHT requests going, until REQUESTS have been answered. No
 * database, no Swift: what libcurl and the kernel's loopback TCP cost per request on this
 * machine. ops/bench-curl-floor builds and runs it against the same nginx stand-in as
 * ops/bench-deliveries; docs/delivery.md compares the worker with it.
 *
 *   curl-floor URL REQUESTS IN_FLIGHT
 *
 * Prints: answered, non-202 answers, and transport errors, one per line.
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>

static size_t discard(char *data, size_t size, size_t count, void *user) {
    (void)data;
    (void)user;
    return size * count;
}

static const char body[] =
    "{\"type\":\"message\",\"message_id\":\"0192f1c2-1111-7222-8333-444455556666\","
    "\"customer_id\":\"0192f1c2-1111-7222-8333-444455556667\","
    "\"content\":{\"subject\":\"Hello\",\"text\":\"Message 12345\"}}";

/* The options the worker's transport sets on a plain POST (CurlEasyHandle+Request.swift). */
static void prepare(CURL *easy, const char *url, struct curl_slist *headers) {
    curl_easy_setopt(easy, CURLOPT_URL, url);
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, 10000L);
    curl_easy_setopt(easy, CURLOPT_PROXY, "");
    curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
    curl_easy_setopt(easy, CURLOPT_PIPEWAIT, 1L);
    curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)1048576);
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, discard);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(sizeof body - 1));
    curl_easy_setopt(easy, CURLOPT_COPYPOSTFIELDS, body);
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s URL REQUESTS IN_FLIGHT\n", argv[0]);
        return 2;
    }
    const char *url = argv[1];
    long total = atol(argv[2]), inFlight = atol(argv[3]);
    if (total < 1 || inFlight < 1) {
        fprintf(stderr, "REQUESTS and IN_FLIGHT must be positive\n");
        return 2;
    }
    curl_global_init(CURL_GLOBAL_ALL);
    CURLM *multi = curl_multi_init();
    struct curl_slist *headers = NULL;
    headers = curl_slist_append(headers, "content-type: application/json");
    headers = curl_slist_append(headers, "user-agent: Tutti/1");
    headers = curl_slist_append(headers, "webhook-id: msg_0192f1c2-1111-7222-8333-444455556666");
    headers = curl_slist_append(headers, "webhook-timestamp: 1795538036");
    headers = curl_slist_append(headers, "webhook-signature: v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=");
    headers = curl_slist_append(headers, "Expect:");

    long started = 0, answered = 0, refused = 0, failed = 0;
    for (; started < inFlight && started < total; started++) {
        CURL *easy = curl_easy_init();
        prepare(easy, url, headers);
        curl_multi_add_handle(multi, easy);
    }
    while (answered + failed < total) {
        int running;
        curl_multi_perform(multi, &running);
        CURLMsg *message;
        int queued;
        while ((message = curl_multi_info_read(multi, &queued))) {
            if (message->msg != CURLMSG_DONE) continue;
            CURL *easy = message->easy_handle;
            if (message->data.result != CURLE_OK) {
                failed++;
            } else {
                long status = 0;
                curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
                answered++;
                if (status != 202) refused++;
            }
            curl_multi_remove_handle(multi, easy);
            if (started < total) {
                started++;
                /* As the worker does between two plain POSTs: new URL, body and headers only. */
                curl_easy_setopt(easy, CURLOPT_URL, url);
                curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
                curl_easy_setopt(easy, CURLOPT_COPYPOSTFIELDS, body);
                curl_multi_add_handle(multi, easy);
            } else {
                curl_easy_cleanup(easy);
            }
        }
        curl_multi_poll(multi, NULL, 0, 1000, NULL);
    }
    printf("answered %ld\nnon_202 %ld\nerrors %ld\n", answered, refused, failed);
    curl_slist_free_all(headers);
    curl_multi_cleanup(multi);
    curl_global_cleanup();
    return failed > 0 || refused > 0;
}
