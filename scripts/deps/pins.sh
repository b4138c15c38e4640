# Every pinned input of the portable build, in one place (sourced by the scripts in scripts/deps/).
# Bumping a version means changing it here together with its SHA-256: nothing unverified is built.

# zig provides clang + an old-glibc/musl sysroot + libc++ for every target from one x86_64 host.
ZIG_VERSION=0.17.1
ZIG_WHEEL_SHA256=ea6cc5d87b033cf0aedfbc8f9549a908cae6c50ac31f1698188fa48a74524b54

# librdkafka's release source, as Confluent ships it inside its own npm package (deps/librdkafka).
LIBRDKAFKA_VERSION=2.15.1
LIBRDKAFKA_NPM_PACKAGE=@confluentinc/kafka-javascript@1.10.1
LIBRDKAFKA_NPM_SHA256=ada7d703bb1d3237e2292bfabf438d663b6160c9f1ac2a2406b5dc4257c81b66

# OpenSSL, zstd and zlib sources come from the Rust crates that vendor them unmodified (immutable,
# checksummed by cargo's index, and re-checked here). Versions must match scripts/deps/crates/Cargo.toml.
OPENSSL_CRATE=openssl-src-300.6.1+3.6.3
OPENSSL_CRATE_SHA256=46eb8fb9fb3b61ce1c0f8a026c4c1a0714d3a9e138e7fbde78753ce2babc3846
# 3.6.3: the newest OpenSSL any immutable registry artifact carries here (the crate's 3.5 LTS line stops at
# 3.5.5, four security releases behind); the same version librdkafka 2.15.1's vcpkg builds bundle.
OPENSSL_VERSION=3.6.3
ZSTD_CRATE=zstd-sys-2.1.3+zstd.1.5.7
ZSTD_CRATE_SHA256=f729a06d0257428fd9d997ac8db7e1407bd0262ab016b085b36bc52957c0052d
ZSTD_VERSION=1.5.7
ZLIB_CRATE=libz-sys-1.1.33
ZLIB_CRATE_SHA256=fee3f59f4321dab0c78d828942e7aa09d0bd8ad6e78a501977e6bf3d02938045
ZLIB_VERSION=1.4

# The oldest glibc every prebuild may need: the floor of the official Node 20+ Linux builds.
GLIBC_FLOOR=2.28

# The benchmark suite's C reference tool. librdkafka's npm-shipped tree has no examples/; this file is
# byte-identical in librdkafka 2.12.0 (inside the node-rdkafka devDependency) and 2.14.2.
RDKAFKA_PERFORMANCE_SRC=node_modules/node-rdkafka/deps/librdkafka/examples/rdkafka_performance.c
RDKAFKA_PERFORMANCE_SHA256=59ba99256d1dffa5b30eb231141a78dc6934dfa47d1baedbbd7bbb736216f4c5
