package dev.epochstream.client;

/**
 * {@link ModelClient#start()} did not read the snapshot topic up to its end offsets: the bootstrap
 * timeout passed, or the background thread failed first (the cause says why, e.g. a missing topic or a
 * failed login). After a timeout the client stays open and keeps following the topic; close it, or wait
 * again with {@link ModelClient#awaitBootstrap}. Refused credentials are the subclass
 * {@link AuthenticationFailedException}.
 */
public class BootstrapException extends ModelClientException {

    public BootstrapException(String message, Throwable cause) {
        super(message, cause);
    }
}
