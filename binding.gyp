{
  "targets": [
    {
      "target_name": "kafka_napi",
      "sources": [
        "native/addon.cc",
        "native/admin.cc",
        "native/args.cc",
        "native/conf.cc",
        "native/consumer.cc",
        "native/errors.cc",
        "native/events.cc",
        "native/handle.cc",
        "native/metadata.cc",
        "native/producer.cc",
        "native/topic_partitions.cc"
      ],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "deps/librdkafka/include"
      ],
      "defines": [
        "NAPI_VERSION=8",
        "NAPI_CPP_EXCEPTIONS",
        "NODE_ADDON_API_DISABLE_DEPRECATED",
        "NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS"
      ],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-fvisibility=hidden", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Wno-ignored-qualifiers"],
      "libraries": [
        "<(module_root_dir)/deps/librdkafka/lib/librdkafka.a",
        "-Wl,-Bstatic", "-lzstd", "-lssl", "-lcrypto", "-lz", "-Wl,-Bdynamic",
        "-lpthread", "-lm", "-ldl"
      ],
      "ldflags": [
        "-Wl,--exclude-libs,ALL",
        "-Wl,-Bsymbolic",
        "-Wl,--as-needed"
      ]
    }
  ]
}
