#include "servername.h"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <mutex>

#if defined(KAFKA_NAPI_NO_OPENSSL_HEADERS) || !__has_include(<openssl/x509v3.h>)
#define KAFKA_NAPI_SERVERNAME 0
#else
#define KAFKA_NAPI_SERVERNAME 1
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#endif

namespace kafka_napi {

namespace {

// Never destroyed: a broker thread of an abandoned client may still verify during process exit.
std::mutex& mutex = *new std::mutex();
std::condition_variable& registered = *new std::condition_variable();
std::map<const rd_kafka_t*, std::string>& names = *new std::map<const rd_kafka_t*, std::string>();

#if KAFKA_NAPI_SERVERNAME
// The name for `rk`. A broker thread may connect before Handle::Create registers it (rd_kafka_new
// starts the threads): wait briefly for it rather than fail the handshake.
bool Lookup(const rd_kafka_t* rk, std::string* name) {
  std::unique_lock<std::mutex> lock(mutex);
  bool found = registered.wait_for(lock, std::chrono::seconds(5), [&] { return names.count(rk) > 0; });
  if (found) *name = names[rk];
  return found;
}

int Verify(rd_kafka_t* rk, const char* broker_name, int32_t, int* x509_error, int depth, const char* buf, size_t size,
           char* errstr, size_t errstr_size, void*) {
  if (*x509_error != 0) {
    // OpenSSL's chain verification failed: keep its verdict and say why.
    std::snprintf(errstr, errstr_size, "certificate verify failed: %s", X509_verify_cert_error_string(*x509_error));
    return 0;
  }
  if (depth != 0) return 1;  // only the broker's own certificate carries its name
  std::string name;
  if (!Lookup(rk, &name)) {
    std::snprintf(errstr, errstr_size, "ssl.servername unknown for this client");
    return 0;
  }
  const unsigned char* der = reinterpret_cast<const unsigned char*>(buf);
  X509* cert = d2i_X509(nullptr, &der, static_cast<long>(size));
  if (!cert) {
    std::snprintf(errstr, errstr_size, "broker certificate could not be parsed");
    return 0;
  }
  bool match = X509_check_host(cert, name.c_str(), name.size(), 0, nullptr) == 1 ||
               X509_check_ip_asc(cert, name.c_str(), 0) == 1;
  X509_free(cert);
  if (match) return 1;
  *x509_error = X509_V_ERR_HOSTNAME_MISMATCH;
  std::snprintf(errstr, errstr_size, "broker %s certificate does not match ssl.servername '%s'", broker_name,
                name.c_str());
  return 0;
}
#endif

}  // namespace

bool ServerNameSupported() { return KAFKA_NAPI_SERVERNAME == 1; }

void EnableServerNameCheck(rd_kafka_conf_t* conf) {
#if KAFKA_NAPI_SERVERNAME
  rd_kafka_conf_set_ssl_cert_verify_cb(conf, Verify);
#endif
}

void RegisterServerName(rd_kafka_t* rk, const std::string& name) {
  {
    std::lock_guard<std::mutex> lock(mutex);
    names[rk] = name;
  }
  registered.notify_all();
}

void ForgetServerName(rd_kafka_t* rk) {
  std::lock_guard<std::mutex> lock(mutex);
  names.erase(rk);
}

}  // namespace kafka_napi
