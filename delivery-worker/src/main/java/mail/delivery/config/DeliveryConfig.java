package mail.delivery.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of delivery-worker; each key can be set from the environment (MAIL_DELIVERY_…). */
@ConfigMapping(prefix = "mail.delivery")
public interface DeliveryConfig {
    /** Kafka consumer group shared by all copies */
    @WithDefault("delivery-worker")
    String consumerGroup();

    /** deliveries tried before an event goes to the dead-letter topic */
    @WithDefault("10")
    int maxAttempts();
}
