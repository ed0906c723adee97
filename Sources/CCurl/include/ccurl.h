// Typed, non-variadic wrappers over libcurl for Swift.
//
// curl_easy_setopt, curl_easy_getinfo and curl_multi_setopt are C variadic
// functions, which Swift cannot call. Each wrapper below fixes the type of the
// third argument so the compiler checks it on the Swift side, and so the value
// is passed with the exact C type libcurl reads with va_arg (passing an Int
// where libcurl expects a long, or a Swift closure where it expects a function
// pointer, would be undefined behaviour).
#ifndef CCURL_H
#define CCURL_H

#include <curl/curl.h>

/// Initialises libcurl's global state exactly once per process, however many
/// threads call it; returns the result of the one curl_global_init call.
CURLcode ccurl_global_init(void);

/// The shape of CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION callbacks.
typedef size_t (*ccurl_write_function)(char *buffer, size_t size, size_t count, void *userdata);

// curl_easy_setopt, one function per argument type.
CURLcode ccurl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode ccurl_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value);
CURLcode ccurl_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode ccurl_setopt_pointer(CURL *handle, CURLoption option, void *value);
/// Sets a `struct curl_blob *` option (e.g. CURLOPT_CAINFO_BLOB) with
/// CURL_BLOB_COPY, so libcurl keeps its own copy of the bytes.
CURLcode ccurl_setopt_blob(CURL *handle, CURLoption option, const void *data, size_t length);
CURLcode ccurl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value);
CURLcode ccurl_setopt_write_function(CURL *handle, ccurl_write_function function);
CURLcode ccurl_setopt_header_function(CURL *handle, ccurl_write_function function);

/// The shape of CURLOPT_READFUNCTION callbacks: fill `buffer` with up to
/// size * count bytes of the upload and return how many were written (0 at the end).
typedef size_t (*ccurl_read_function)(char *buffer, size_t size, size_t count, void *userdata);
CURLcode ccurl_setopt_read_function(CURL *handle, ccurl_read_function function);

// curl_easy_getinfo, one function per result type.
CURLcode ccurl_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode ccurl_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value);
CURLcode ccurl_getinfo_double(CURL *handle, CURLINFO info, double *value);
CURLcode ccurl_getinfo_string(CURL *handle, CURLINFO info, const char **value);

// curl_multi_setopt for long-valued options.
CURLMcode ccurl_multi_setopt_long(CURLM *multi, CURLMoption option, long value);

/// Reads the next "transfer done" message from a multi handle, skipping any
/// other kind. Returns 1 and fills `easy` and `result` when there was one,
/// 0 when the queue is empty. Exists because CURLMsg's result lives in a C
/// union, which is awkward to read from Swift.
int ccurl_multi_next_done(CURLM *multi, CURL **easy, CURLcode *result);

#endif
