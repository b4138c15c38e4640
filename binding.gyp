{
  "targets": [
    {
      "target_name": "kafka_napi",
      "sources": [
        "native/addon.cc",
        "native/core/allocator.cc",
        "native/core/args.cc",
        "native/core/bounds.cc",
        "native/core/conf.cc",
        "native/core/errors.cc",
        "native/core/events.cc",
        "native/core/handle.cc",
        "native/core/metadata.cc",
        "native/core/pump.cc",
        "native/core/record_layout.cc",
        "native/core/serial_worker.cc",
        "native/core/servername.cc",
        "native/core/task_pool.cc",
        "native/core/topic_partitions.cc",
        "native/clients/admin.cc",
        "native/clients/admin_requests.cc",
        "native/clients/admin_results.cc",
        "native/clients/consumer.cc",
        "native/clients/consumer_group.cc",
        "native/clients/mock_cluster.cc",
        "native/clients/producer.cc",
        "native/clients/share_consumer.cc",
        "native/clients/share_worker.cc"
      ],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "<!@(node native/gyp-deps.js cflags)"
      ],
      "defines": [
        "NAPI_VERSION=8",
        "NAPI_CPP_EXCEPTIONS",
        "NODE_ADDON_API_DISABLE_DEPRECATED",
        "NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS",
        "<!@(node native/gyp-deps.js defines)"
      ],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-fvisibility=hidden", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Wno-ignored-qualifiers"],
      "libraries": ["<!@(node native/gyp-deps.js libs)"],
      "conditions": [
        ["OS=='linux'", {
          "libraries": ["-lpthread", "-lm", "-ldl"],
          "ldflags": [
            "-Wl,--version-script=<(module_root_dir)/native/addon.map",
            "-Wl,-Bsymbolic",
            "-Wl,-z,nodelete",
            "-Wl,--as-needed"
          ]
        }],
        ["OS=='mac'", {
          "xcode_settings": {
            "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
            "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
            "MACOSX_DEPLOYMENT_TARGET": "11.0",
            "OTHER_CFLAGS": ["-fvisibility=hidden"]
          }
        }],
        ["OS=='win'", {
          "msvs_settings": { "VCCLCompilerTool": { "ExceptionHandling": 1, "AdditionalOptions": ["/std:c++17"] } }
        }]
      ]
    }
  ]
}
