import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * Starts DynamoDB Local bound to one address (127.0.0.1 unless -Dgongkai.listen says
 * otherwise). DynamoDB Local has no option for its address: DynamoDBProxyServer builds
 * Jetty's Server(port), whose connector listens on every interface, and the local stack's
 * table must not be readable from the network. So the server is built exactly as
 * ServerRunner builds it, its connector is given a host, and only then is it started.
 * If this ever stops working (a new DynamoDB Local), it fails loudly instead of listening
 * everywhere.
 */
public class LoopbackDynamoDbLocal {
  public static void main(String[] args) throws Exception {
    String host = System.getProperty("gongkai.listen", "127.0.0.1");
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server jetty = (Server) field.get(proxy);
    int bound = 0;
    for (Connector connector : jetty.getConnectors()) {
      if (connector instanceof ServerConnector) {
        ((ServerConnector) connector).setHost(host);
        bound++;
      }
    }
    if (bound == 0) {
      System.err.println("gongkai: DynamoDB Local has no Jetty connector to bind to " + host + "; refusing to start");
      System.exit(3);
    }
    proxy.start();
  }
}
