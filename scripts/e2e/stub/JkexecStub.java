// A stand-in for jkexec.jar that proves the harness's LOADER=jkexec path
// (JRE in the guest, jar invocation, plan/capture/status sections, timings)
// before the real loader exists. It accepts the same command lines and hands
// the real work to kexec-tools. Built by scripts/e2e/build-stub-jar; not part
// of the product.
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

public class JkexecStub {
    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help")) {
            System.out.println("jkexec-stub: load -p --kernel K --initrd I --append S | plan ... | status | capture DIR");
            return;
        }
        String kernel = null, initrd = null, append = null, out = null;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--kernel": kernel = args[++i]; break;
                case "--initrd": initrd = args[++i]; break;
                case "--append": append = args[++i]; break;
                case "--out": out = args[++i]; break;
                default: break;
            }
        }
        switch (args[0]) {
            case "load": {
                List<String> cmd = new ArrayList<>(List.of("kexec", "-p", kernel));
                if (initrd != null) cmd.add("--initrd=" + initrd);
                if (append != null) cmd.add("--append=" + append);
                System.exit(new ProcessBuilder(cmd).inheritIO().start().waitFor());
                break;
            }
            case "plan": {
                String json = "{\"stub\": true, \"kernel\": \"" + kernel + "\", \"initrd\": \"" + initrd + "\"}";
                System.out.println(json);
                if (out != null) Files.writeString(Path.of(out, "plan.json"), json + "\n");
                break;
            }
            case "status":
                System.out.println("crash kernel loaded: "
                        + Files.readString(Path.of("/sys/kernel/kexec_crash_loaded")).trim());
                break;
            case "capture": {
                Path dir = Path.of(args[1]);
                Files.createDirectories(dir);
                Files.copy(Path.of("/proc/cmdline"), dir.resolve("cmdline"));
                Files.copy(Path.of("/sys/kernel/kexec_crash_size"), dir.resolve("kexec_crash_size"));
                break;
            }
            default:
                System.err.println("jkexec-stub: unknown command " + args[0]);
                System.exit(2);
        }
    }
}
