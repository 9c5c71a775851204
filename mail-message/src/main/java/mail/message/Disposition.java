package mail.message;

import java.util.Map;

/** Content-Disposition: lower-cased type ("inline", "attachment", ...) and decoded parameters (RFC 2231). */
public record Disposition(String type, Map<String, String> params) {

    public Disposition {
        params = Params.copy(params);
    }

    public String filename() {
        return params.get("filename");
    }
}
