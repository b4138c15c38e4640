// Creates ACLs through the Admin API (connect as a super user). Run as a single-file source program:
//   java -cp 'lib/*' Acls.java <bootstrap> <principal>|<TOPIC|GROUP|CLUSTER>|<LITERAL|PREFIXED>|<name>|<OPERATION> ...
// Every binding is ALLOW from any host.
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

public class Acls {
  public static void main(String[] args) throws Exception {
    Properties props = new Properties();
    props.put("bootstrap.servers", args[0]);
    List<AclBinding> bindings = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      String[] f = args[i].split("\\|");
      bindings.add(new AclBinding(
          new ResourcePattern(ResourceType.valueOf(f[1]), f[3], PatternType.valueOf(f[2])),
          new AccessControlEntry(f[0], "*", AclOperation.valueOf(f[4]), AclPermissionType.ALLOW)));
    }
    try (Admin admin = Admin.create(props)) {
      admin.createAcls(bindings).all().get();
    }
    System.out.println("created " + bindings.size() + " ACLs");
  }
}
