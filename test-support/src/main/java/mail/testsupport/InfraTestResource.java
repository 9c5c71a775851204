package mail.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points a @QuarkusTest application at the shared infrastructure of the build. It never stops the infrastructure:
 * later test classes and modules reuse it, and it ends with the build.
 */
public final class InfraTestResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        return SharedInfra.require(SharedInfra.ALL).quarkusConfig();
    }

    @Override
    public void stop() {
        // shared by the whole build; see SharedInfra
    }
}
