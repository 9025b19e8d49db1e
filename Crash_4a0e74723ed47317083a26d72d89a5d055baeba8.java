import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

public class Crash_4a0e74723ed47317083a26d72d89a5d055baeba8 {
    static final String base64Bytes = String.join("", "rO0ABXNyABNqYXZhLnV0aWwuQXJyYXlMaXN0eIHSHZnHYZ0DAAFJAARzaXpleHAAAAAJdwQAAAAJc3IAEWphdmEubGFuZy5JbnRlZ2VyEuKgpPeBhzgCAAFJAAV2YWx1ZXhyABBqYXZhLmxhbmcuTnVtYmVyhqyVHQuU4IsCAAB4cAAAAAJzcQB+AAIAAAFbc3EAfgACAAAAA3NxAH4AAgAAAABzcgAOamF2YS5sYW5nLkxvbmc7i+SQzI8j3wIAAUoABXZhbHVleHEAfgADLUsRWGjwT71zcQB+AAIAAAAdcQB+AAdzcQB+AAIAAAP7dXIAAltCrPMX+AYIVOACAAB4cAAAABUAAH99AAAAAAAF///////////hAHd4");

    public static void main(String[] args) throws Throwable {
        Crash_4a0e74723ed47317083a26d72d89a5d055baeba8.class.getClassLoader().setDefaultAssertionStatus(true);
        try {
            Method fuzzerInitialize = org.jkexec.fuzz.CaptureFuzzTarget.class.getMethod("fuzzerInitialize");
            fuzzerInitialize.invoke(null);
        } catch (NoSuchMethodException ignored) {
            try {
                Method fuzzerInitialize = org.jkexec.fuzz.CaptureFuzzTarget.class.getMethod("fuzzerInitialize", String[].class);
                fuzzerInitialize.invoke(null, (Object) args);
            } catch (NoSuchMethodException ignored1) {
            } catch (IllegalAccessException | InvocationTargetException e) {
                e.printStackTrace();
                System.exit(1);
            }
        } catch (IllegalAccessException | InvocationTargetException e) {
            e.printStackTrace();
            System.exit(1);
        }
        com.code_intelligence.jazzer.api.CannedFuzzedDataProvider input = new com.code_intelligence.jazzer.api.CannedFuzzedDataProvider(base64Bytes);
        org.jkexec.fuzz.CaptureFuzzTarget.fuzzerTestOneInput(input);
    }
}