package dev.epochstream.it;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Records, while open, every log event (with its stack trace) of the root logger and, at INFO and above
 * without passing them on to the console, of the Kafka clients and Flink: the loggers that print client
 * configurations and job graphs.
 */
final class LogCapture extends AbstractAppender implements AutoCloseable {
    private static final List<String> CHATTY = List.of("org.apache.kafka", "org.apache.flink");

    private final StringBuffer text = new StringBuffer();
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);

    private LogCapture() {
        super("capture", null, null, true, Property.EMPTY_ARRAY);
    }

    static LogCapture open() {
        LogCapture c = new LogCapture();
        c.start();
        Configuration config = c.context.getConfiguration();
        config.getRootLogger().addAppender(c, Level.ALL, null);
        for (String name : CHATTY) {
            LoggerConfig logger = new LoggerConfig(name, Level.INFO, false);
            logger.addAppender(c, Level.ALL, null);
            config.addLogger(name, logger);
        }
        c.context.updateLoggers();
        return c;
    }

    @Override
    public void append(LogEvent event) {
        text.append(event.getLoggerName()).append(' ').append(event.getMessage().getFormattedMessage()).append('\n');
        if (event.getThrown() != null) {
            StringWriter w = new StringWriter();
            event.getThrown().printStackTrace(new PrintWriter(w));
            text.append(w).append('\n');
        }
    }

    String text() {
        return text.toString();
    }

    @Override
    public void close() {
        Configuration config = context.getConfiguration();
        for (String name : CHATTY) {
            config.removeLogger(name);
        }
        config.getRootLogger().removeAppender(getName());
        context.updateLoggers();
        stop();
    }
}
