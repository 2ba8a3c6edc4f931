package org.hiddenactivity.core;

/** Text from models and manifests made safe as one file-name component (never a path, never "." or ".."). */
public final class SafeNames {
    private SafeNames() {}

    /**
     * Letters, digits, '.', '_' and '-' kept, every other run of characters (slashes included) becomes '-', at most
     * {@code maxLength} characters, no leading dot; empty or dots-only text becomes {@code fallback}.
     */
    public static String component(String text, int maxLength, String fallback) {
        String t = text == null ? "" : text.replaceAll("[^A-Za-z0-9._-]+", "-");
        t = t.replaceAll("^[.-]+", "").replaceAll("-+$", "");
        if (t.length() > maxLength) {
            t = t.substring(0, maxLength);
        }
        return t.isEmpty() || t.chars().allMatch(c -> c == '.') ? fallback : t;
    }
}
