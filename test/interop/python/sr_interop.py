#!/usr/bin/env python3
"""Python side of the Schema Registry interop test: Confluent's own client (confluent-kafka) and its Schema
Registry serializers, driven by the jest test, which spawns this script and parses its stdout.

Commands (records are a JSON array on stdin; every result is one JSON line on stdout, errors go to stderr
with a non-zero exit):

  produce --format F --version V --bootstrap B --registry URL --topic T [--message M] [--timeout S]
      serializes each record's value (subject {topic}-value, auto-registered) with the key the record's id
      as a UTF-8 string, produces them, flushes and prints {"produced": n, "schemaIds": [...]}.
  consume --format F --version V --bootstrap B --registry URL --topic T --count N [--message M] [--timeout S]
      reads N records from the start of the topic with a new consumer group and prints one
      {"key": ..., "value": {...}, "schemaId": n} per record; V is the reader's schema version.
  wire --format F --version V [--message M]
      serializes the records against the library's in-memory mock:// registry (no broker, no registry) and
      prints one {"format", "message", "schema", "schemaId", "record", "hex"} per record, plus
      "messageIndexes" for Protobuf.

F is avro, protobuf or json; V is 1 or 2 (the fixture schemas test/fixtures/schema-registry/user-vV.*);
M is User (the default), or for Protobuf also Envelope or Phone (the nested User.Phone).
Schema ids and Protobuf message indexes are read back from the wire bytes with the library's own parser.
"""

import argparse
import importlib
import io
import json
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from confluent_kafka import Consumer, KafkaError, KafkaException, Message, Producer
from confluent_kafka.schema_registry import SchemaRegistryClient, topic_subject_name_strategy
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.schema_registry.json_schema import JSONDeserializer, JSONSerializer
from confluent_kafka.schema_registry.protobuf import ProtobufDeserializer, ProtobufSerializer
from confluent_kafka.schema_registry.serde import SchemaId
from confluent_kafka.serialization import MessageField, SerializationContext, StringSerializer
from google.protobuf import json_format
from google.protobuf.descriptor import Descriptor
from google.protobuf.message import Message as ProtoMessage
from grpc_tools import protoc

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "schema-registry"
FORMATS = ("avro", "protobuf", "json")
MESSAGES = ("User", "Envelope", "Phone")
# The --message value -> the type's name inside the .proto file's package.
PROTO_TYPE_NAMES = {"User": "User", "Envelope": "Envelope", "Phone": "User.Phone"}
# Topic-name strategy ({topic}-value) explicitly: this client's default, ASSOCIATED, asks the registry's
# associations API first. References keep the default reference.subject.name.strategy, which names a
# reference's subject after its import path: common.proto is registered under the subject "common.proto".
SERDE_CONF = {"subject.name.strategy": topic_subject_name_strategy}
SCHEMA_TYPES = {"avro": "AVRO", "protobuf": "PROTOBUF", "json": "JSON"}

Record = dict[str, Any]


@dataclass(frozen=True)
class Codec:
    """The value (de)serializer of one format, schema version and message type."""

    schema_file: str
    message: str
    serialize: Callable[[Record, SerializationContext], bytes]
    deserialize: Callable[[bytes, SerializationContext], Record]


def compile_protos(version: int) -> ModuleType:
    """Compiles common.proto and user-v{version}.proto with grpc_tools' protoc into a temporary directory
    and imports the generated module. The include path is the fixtures directory, so each file is compiled
    under the name its importers use: "common.proto" is both the import in user-vN.proto and the file
    descriptor name the serializer registers as the reference (subject "common.proto")."""
    main = f"user-v{version}.proto"
    with tempfile.TemporaryDirectory(prefix="sr-interop-proto-") as out:
        args = ["grpc_tools.protoc", f"--proto_path={FIXTURES}", f"--python_out={out}", "common.proto", main]
        if protoc.main(args) != 0:
            raise RuntimeError(f"protoc failed on {main}")
        sys.path.insert(0, out)
        try:
            # protoc's Python module name for user-vN.proto is user_vN_pb2 ('-' becomes '_').
            return importlib.import_module(f"user_v{version}_pb2")
        finally:
            sys.path.remove(out)


def proto_class(module: ModuleType, message: str) -> type[ProtoMessage]:
    cls: Any = module
    for part in PROTO_TYPE_NAMES[message].split("."):
        cls = getattr(cls, part)
    return cls


def message_indexes(descriptor: Descriptor) -> list[int]:
    """The path of a message type in its file: top-level index, then nested indexes."""
    path: list[int] = []
    while descriptor.containing_type is not None:
        parent = descriptor.containing_type
        path.insert(0, list(parent.nested_types).index(descriptor))
        descriptor = parent
    path.insert(0, list(descriptor.file.message_types_by_name).index(descriptor.name))
    return path


def proto_to_dict(message: ProtoMessage) -> Record:
    """Proto field names as written in the .proto, fields without presence at their defaults, enums by
    name, and int64 values as JSON numbers where a double holds them exactly (else as strings)."""
    return json_format.MessageToDict(
        message,
        preserving_proto_field_name=True,
        always_print_fields_with_no_presence=True,
        unquote_int64_if_possible=True,
    )


def make_codec(fmt: str, version: int, message: str, registry: SchemaRegistryClient) -> Codec:
    if fmt != "protobuf" and message != "User":
        raise ValueError(f"--message {message} is for protobuf only")
    if fmt == "protobuf":
        cls = proto_class(compile_protos(version), message)
        proto_serializer = ProtobufSerializer(cls, registry, {**SERDE_CONF, "auto.register.schemas": True})
        # No registry client for the deserializer: with one it fetches the writer's schema by id with
        # ?format=serialized and base64-decodes it, and Apicurio 3.3 answers that with an error for the
        # base64 descriptors this serializer registers and with raw (not base64) FileDescriptorProto bytes
        # for .proto text, so every read fails. Without one it strips the framing and parses with the
        # generated class, which the message indexes on the wire must therefore name.
        proto_deserializer = ProtobufDeserializer(cls, SERDE_CONF)
        expected_indexes = message_indexes(cls.DESCRIPTOR)

        def deserialize(data: bytes, ctx: SerializationContext) -> Record:
            indexes = read_framing("protobuf", data).message_indexes
            if indexes != expected_indexes:
                raise ValueError(f"message indexes {indexes} on the wire, expected {expected_indexes} for {message}")
            return proto_to_dict(proto_deserializer(data, ctx))

        return Codec(
            schema_file=f"user-v{version}.proto",
            message=PROTO_TYPE_NAMES[message],
            serialize=lambda record, ctx: proto_serializer(json_format.ParseDict(record, cls()), ctx),
            deserialize=deserialize,
        )
    if fmt == "avro":
        schema_file = f"user-v{version}.avsc"
        schema = (FIXTURES / schema_file).read_text()
        # The reader schema is the version's own: Avro resolution adds v2's defaults or drops v2's fields.
        avro_serializer = AvroSerializer(registry, schema, conf={**SERDE_CONF, "auto.register.schemas": True})
        avro_deserializer = AvroDeserializer(registry, schema, conf=SERDE_CONF)
        return Codec(schema_file, "User", avro_serializer, avro_deserializer)
    schema_file = f"user-v{version}.schema.json"
    schema = (FIXTURES / schema_file).read_text()
    # As a reader compiled against version V would: its own schema validates what it reads (the writer's
    # schema is still fetched from the registry by id), and newer fields pass through.
    json_serializer = JSONSerializer(schema, registry, conf={**SERDE_CONF, "auto.register.schemas": True})
    json_deserializer = JSONDeserializer(schema, schema_registry_client=registry, conf=SERDE_CONF)
    return Codec(schema_file, "User", json_serializer, json_deserializer)


@dataclass(frozen=True)
class Framing:
    """What prefixes a serialized value: the schema id and, for Protobuf, the message indexes."""

    schema_id: int
    message_indexes: list[int] | None


def read_framing(fmt: str, data: bytes) -> Framing:
    """Parses the prefix with the library's own reader."""
    parsed = SchemaId(SCHEMA_TYPES[fmt])
    parsed.from_bytes(io.BytesIO(data))
    if parsed.id is None:
        raise ValueError("the value has no schema id prefix (magic byte 0)")
    return Framing(parsed.id, parsed.message_indexes)


def read_records() -> list[Record]:
    records = json.load(sys.stdin)
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise ValueError("stdin must be a JSON array of objects")
    return records


def emit(obj: Record) -> None:
    print(json.dumps(obj, ensure_ascii=False), flush=True)


def value_context(topic: str) -> SerializationContext:
    return SerializationContext(topic, MessageField.VALUE)


def produce(args: argparse.Namespace) -> None:
    records = read_records()
    codec = make_codec(args.format, args.version, args.message, SchemaRegistryClient.new_client({"url": args.registry}))
    key_serializer = StringSerializer("utf_8")
    producer = Producer({"bootstrap.servers": args.bootstrap})
    failures: list[str] = []

    def on_delivery(err: KafkaError | None, _msg: Message) -> None:
        if err is not None:
            failures.append(str(err))

    schema_ids: list[int] = []
    for record in records:
        value = codec.serialize(record, value_context(args.topic))
        schema_id = read_framing(args.format, value).schema_id
        if schema_id not in schema_ids:
            schema_ids.append(schema_id)
        key = key_serializer(str(record["id"])) if "id" in record else None
        producer.produce(args.topic, key=key, value=value, on_delivery=on_delivery)
        producer.poll(0)
    unflushed = producer.flush(args.timeout)
    if unflushed:
        raise TimeoutError(f"{unflushed} record(s) still undelivered after {args.timeout} s")
    if failures:
        raise KafkaException(f"delivery failed: {'; '.join(failures)}")
    emit({"produced": len(records), "schemaIds": schema_ids})


def consume(args: argparse.Namespace) -> None:
    codec = make_codec(args.format, args.version, args.message, SchemaRegistryClient.new_client({"url": args.registry}))
    consumer = Consumer(
        {
            "bootstrap.servers": args.bootstrap,
            "group.id": f"sr-interop-py-{uuid.uuid4()}",
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
        }
    )
    consumer.subscribe([args.topic])
    deadline = time.monotonic() + args.timeout
    received = 0
    try:
        while received < args.count:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"timed out after {args.timeout} s with {received} of {args.count} record(s)")
            msg = consumer.poll(min(remaining, 1.0))
            if msg is None:
                continue
            err = msg.error()
            if err is not None:
                # The topic may not exist yet (or its metadata not have reached this client): keep polling.
                if err.code() == KafkaError.UNKNOWN_TOPIC_OR_PART:
                    continue
                raise KafkaException(err)
            data, key = msg.value(), msg.key()
            if data is None:
                raise ValueError(f"record at offset {msg.offset()} has no value")
            ctx = SerializationContext(args.topic, MessageField.VALUE, msg.headers())
            emit(
                {
                    "key": key.decode("utf-8") if key is not None else None,
                    "value": codec.deserialize(data, ctx),
                    "schemaId": read_framing(args.format, data).schema_id,
                }
            )
            received += 1
    finally:
        consumer.close()


def wire(args: argparse.Namespace) -> None:
    records = read_records()
    codec = make_codec(args.format, args.version, args.message, SchemaRegistryClient.new_client({"url": "mock://"}))
    for record in records:
        data = codec.serialize(record, value_context("wire"))
        framing = read_framing(args.format, data)
        entry: Record = {
            "format": args.format,
            "message": codec.message,
            "schema": codec.schema_file,
            "schemaId": framing.schema_id,
            "record": record,
            "hex": data.hex(),
        }
        if args.format == "protobuf":
            entry["messageIndexes"] = framing.message_indexes
        emit(entry)


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)

    def add_command(name: str, run: Callable[[argparse.Namespace], None]) -> argparse.ArgumentParser:
        command = commands.add_parser(name)
        command.set_defaults(run=run)
        command.add_argument("--format", required=True, choices=FORMATS)
        command.add_argument("--version", required=True, type=int, choices=(1, 2))
        command.add_argument("--message", default="User", choices=MESSAGES)
        return command

    for name, run in (("produce", produce), ("consume", consume)):
        command = add_command(name, run)
        command.add_argument("--bootstrap", required=True)
        command.add_argument("--registry", required=True)
        command.add_argument("--topic", required=True)
        command.add_argument("--timeout", type=float, default=30.0, help="seconds (default 30)")
        if name == "consume":
            command.add_argument("--count", required=True, type=int)
    add_command("wire", wire)
    return parser.parse_args(argv)


def main(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    try:
        args.run(args)
    except Exception as error:  # noqa: BLE001 - every failure becomes one line on stderr and exit status 1
        print(f"sr_interop: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
