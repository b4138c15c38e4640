// Prints the partition the Java client picks for each key (UTF-8) among N partitions: the keyed path of
// org.apache.kafka.clients.producer.internals.BuiltInPartitioner. Run as a single-file source program:
//   java -cp 'lib/*' Partitions.java <numPartitions> <key>...
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import java.nio.charset.StandardCharsets;

public class Partitions {
  public static void main(String[] args) {
    int n = Integer.parseInt(args[0]);
    StringBuilder out = new StringBuilder();
    for (int i = 1; i < args.length; i++) {
      if (i > 1) out.append(' ');
      out.append(BuiltInPartitioner.partitionForKey(args[i].getBytes(StandardCharsets.UTF_8), n));
    }
    System.out.println(out);
  }
}
