package mail.directory;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import mail.testsupport.InfraTestResource;
import mail.testsupport.ServiceHealthContract;

@QuarkusTest
@QuarkusTestResource(value = InfraTestResource.class, restrictToAnnotatedClass = true)
class ServiceHealthTest implements ServiceHealthContract {
}
