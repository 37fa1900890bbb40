package dev.epochstream.job.state;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/** The binary form of a string map (an event's attributes) shared by the job's serializers: size, then key and value. */
public final class StringMaps {
    private StringMaps() {
    }

    /** Writes a non-null map. */
    public static void write(Map<String, String> map, DataOutputView out) throws IOException {
        out.writeInt(map.size());
        for (Map.Entry<String, String> a : map.entrySet()) {
            StringValue.writeString(a.getKey(), out);
            StringValue.writeString(a.getValue(), out);
        }
    }

    /** Reads what {@link #write} wrote, into a new map. */
    public static Map<String, String> read(DataInputView in) throws IOException {
        int n = in.readInt();
        Map<String, String> map = new HashMap<>(Math.max(4, n * 2));
        for (int i = 0; i < n; i++) {
            map.put(StringValue.readString(in), StringValue.readString(in));
        }
        return map;
    }
}
