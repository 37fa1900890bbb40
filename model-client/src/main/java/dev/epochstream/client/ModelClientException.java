package dev.epochstream.client;

/**
 * Base of the model client's typed errors. Every one of them means "no answer", never a wrong answer:
 * callers catch the subclass they can act on (a 404 for {@link NoModelException}, a 400 for
 * {@link InvalidInputException}, ...).
 */
public class ModelClientException extends RuntimeException {

    public ModelClientException(String message) {
        super(message);
    }

    public ModelClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
