#include "args.h"

#include <cmath>

namespace kafka_napi {

int64_t IntegerArg(const Napi::Value& value, const char* name, int64_t min, int64_t max, int64_t fallback) {
  Napi::Env env = value.Env();
  if (value.IsUndefined()) return fallback;
  if (!value.IsNumber()) throw Napi::TypeError::New(env, std::string(name) + " must be a number");
  double d = value.As<Napi::Number>().DoubleValue();
  // Compared as doubles first: casting an out-of-range or NaN double to an integer is undefined behaviour.
  if (!(d >= static_cast<double>(min) && d <= static_cast<double>(max)) || std::trunc(d) != d) {
    throw Napi::RangeError::New(
        env, std::string(name) + " must be an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "]");
  }
  return static_cast<int64_t>(d);
}

int32_t TimeoutArg(const Napi::Value& value, const char* name, int32_t fallback) {
  return static_cast<int32_t>(IntegerArg(value, name, -1, INT32_MAX, fallback));
}

std::string StringArg(const Napi::Value& value, const char* name, size_t max_length) {
  Napi::Env env = value.Env();
  if (!value.IsString()) throw Napi::TypeError::New(env, std::string(name) + " must be a string");
  // Length first, without copying: napi_get_value_string_utf8 with a null buffer reports the size.
  size_t length = 0;
  napi_status status = napi_get_value_string_utf8(env, value, nullptr, 0, &length);
  if (status != napi_ok) throw Napi::Error::New(env, std::string("cannot read ") + name);
  if (length > max_length) {
    throw Napi::RangeError::New(
        env, std::string(name) + " is " + std::to_string(length) + " bytes, longer than " + std::to_string(max_length));
  }
  return value.As<Napi::String>().Utf8Value();
}

Napi::Array ArrayArg(const Napi::Value& value, const char* name) {
  if (!value.IsArray()) throw Napi::TypeError::New(value.Env(), std::string(name) + " must be an array");
  return value.As<Napi::Array>();
}

Napi::Object ObjectArg(const Napi::Value& value, const char* name) {
  if (!value.IsObject()) throw Napi::TypeError::New(value.Env(), std::string(name) + " must be an object");
  return value.As<Napi::Object>();
}

double RequestIdArg(const Napi::Value& value) {
  if (value.IsUndefined()) throw Napi::TypeError::New(value.Env(), "requestId must be a number");
  return static_cast<double>(IntegerArg(value, "requestId", 0, (int64_t{1} << 53) - 1, 0));
}

void CheckTypedArray(const Napi::Value& value, napi_typedarray_type type, const char* name) {
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != type) {
    throw Napi::TypeError::New(
        value.Env(), std::string(name) + " must be a " + (type == napi_int32_array ? "Int32Array" : "Float64Array"));
  }
}

}  // namespace kafka_napi
