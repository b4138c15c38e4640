// Checked reads of numbers and strings handed in from JS. The TypeScript layer validates every public
// argument (src/core/validate.ts) with messages naming it; these are the backstop at the boundary, so that a
// value outside the C type's range is refused instead of wrapped (Int32Value(2**32 + 1) is 1) and a
// string librdkafka might copy onto the stack cannot overflow it.
#pragma once

#include <napi.h>

#include <cstdint>
#include <string>

namespace kafka_napi {

// Longest configuration value (or name) handed to librdkafka. librdkafka copies some values onto the
// stack (strdupa of bootstrap.servers, sasl.password, pattern lists...): 8 MiB overflowed the main
// thread's stack. PEM properties (ssl.*.pem), which librdkafka never copies onto the stack, may hold
// whole certificate bundles and get kMaxPemLength.
constexpr size_t kMaxConfigValueLength = size_t{64} * 1024;
constexpr size_t kMaxPemLength = size_t{4} * 1024 * 1024;

// A timeout in ms: an integer in [-1, 2**31 - 1] (-1 = librdkafka's "infinite"). Missing: `fallback`.
int32_t TimeoutArg(const Napi::Value& value, const char* name, int32_t fallback);

// An integer in [min, max]. Missing: `fallback`.
int64_t IntegerArg(const Napi::Value& value, const char* name, int64_t min, int64_t max, int64_t fallback);

// A string of at most `max_length` UTF-8 bytes.
std::string StringArg(const Napi::Value& value, const char* name, size_t max_length);

// An array / a non-null object, else TypeError naming it (As<> alone would fail later with a generic
// Error, or abort when node-addon-api's type checks are on).
Napi::Array ArrayArg(const Napi::Value& value, const char* name);
Napi::Object ObjectArg(const Napi::Value& value, const char* name);

// The id JS gives a request to match its result: a safe integer >= 0.
double RequestIdArg(const Napi::Value& value);

// A typed array of exactly `type` (an Int32Array where one is expected, not any typed array).
void CheckTypedArray(const Napi::Value& value, napi_typedarray_type type, const char* name);

// librdkafka's string getters may return NULL (no message, no group...): std::string and Node-API both
// treat NULL as an error, so every such string goes through this.
inline const char* OrEmpty(const char* s) { return s ? s : ""; }

}  // namespace kafka_napi
