package io.ember.type;

/** Operations every value type must support, dispatched on the type code of the meta word. */
public final class Values {
    private Values() {}

    /** Implemented by value classes whose instances can be copied (COPY). */
    public interface Duplicable {
        /** A deep copy: later changes to either value must not show in the other. */
        Object duplicate();
    }

    /**
     * A deep copy of a value for COPY (Redis's dupStringObject, listTypeDup...). Strings are
     * {@code byte[]} that APPEND/SETRANGE may change in place, so they are cloned, as is any
     * other value stored as a bare {@code byte[]} (a listpack-encoded sorted set); other types
     * implement {@link Duplicable}.
     */
    public static Object duplicate(int type, Object value) {
        if (type == ValueType.STRING) return ((byte[]) value).clone();
        if (value instanceof byte[] b) return b.clone();
        if (value instanceof Duplicable d) return d.duplicate();
        throw new IllegalStateException("no duplicate() for values of type " + ValueType.typeName(type)
                + " (" + value.getClass().getName() + ")");
    }
}
