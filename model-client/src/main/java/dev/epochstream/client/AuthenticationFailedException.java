package dev.epochstream.client;

/**
 * {@link ModelClient#start()} failed because the broker refused the client's SASL login. The message
 * names the bootstrap servers and the mechanism, never the credentials; the cause is Kafka's
 * {@link org.apache.kafka.common.errors.SaslAuthenticationException}. Unlike a timeout, retrying
 * cannot help: the client has stopped following the topic.
 */
public final class AuthenticationFailedException extends BootstrapException {

    public AuthenticationFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
