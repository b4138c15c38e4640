// The Java client's view of record headers, as an outside reference for kafka-napi's:
//   java -cp 'lib/*' Headers.java produce <bootstrap> <topic>   sends one record with headers
//       n=null, e=<empty>, s="x" (in that order)
//   java -cp 'lib/*' Headers.java consume <bootstrap> <topic> <count>   prints, per record, its headers as
//       name=null or name=<hex of the value>, space separated, one record per line
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.*;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.*;

public class Headers {
  public static void main(String[] args) throws Exception {
    if (args[0].equals("produce")) produce(args[1], args[2]);
    else consume(args[1], args[2], Integer.parseInt(args[3]));
  }

  static void produce(String bootstrap, String topic) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    try (Producer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      RecordHeaders headers = new RecordHeaders();
      headers.add("n", null);
      headers.add("e", new byte[0]);
      headers.add("s", "x".getBytes(StandardCharsets.UTF_8));
      byte[] key = null;
      producer.send(new ProducerRecord<byte[], byte[]>(topic, null, key, "java".getBytes(StandardCharsets.UTF_8), headers)).get();
    }
  }

  static void consume(String bootstrap, String topic, int count) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("group.id", "headers-java-" + UUID.randomUUID());
    p.put("auto.offset.reset", "earliest");
    try (Consumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      int seen = 0;
      long deadline = System.currentTimeMillis() + 60_000;
      while (seen < count && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          StringBuilder line = new StringBuilder();
          for (Header h : r.headers()) {
            if (line.length() > 0) line.append(' ');
            line.append(h.key()).append('=').append(h.value() == null ? "null" : HexFormat.of().formatHex(h.value()));
          }
          System.out.println(line);
          seen++;
        }
      }
    }
  }
}
