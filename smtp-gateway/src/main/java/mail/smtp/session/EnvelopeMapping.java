package mail.smtp.session;

import java.util.EnumSet;
import java.util.Set;
import mail.core.event.BodyType;
import mail.core.event.DsnNotify;
import mail.core.event.DsnReturn;
import mail.core.event.OriginalRecipient;
import mail.smtp.protocol.MailParameters;
import mail.smtp.protocol.RcptParameters;

/** From the parsed ESMTP parameters to the event contract's vocabulary. */
final class EnvelopeMapping {
    private EnvelopeMapping() {
    }

    static BodyType body(MailParameters p) {
        return p.body().map(b -> switch (b) {
            case SEVEN_BIT -> BodyType.SEVEN_BIT;
            case EIGHT_BIT_MIME -> BodyType.EIGHT_BIT_MIME;
            case BINARY_MIME -> BodyType.BINARY_MIME;
        }).orElse(BodyType.SEVEN_BIT);
    }

    static DsnReturn ret(MailParameters p) {
        return p.ret().map(r -> r == MailParameters.Ret.FULL ? DsnReturn.FULL : DsnReturn.HDRS).orElse(null);
    }

    static Set<DsnNotify> notify(RcptParameters p) {
        Set<DsnNotify> out = EnumSet.noneOf(DsnNotify.class);
        for (RcptParameters.Notify n : p.notifyOn()) {
            out.add(DsnNotify.valueOf(n.name()));
        }
        return out;
    }

    static OriginalRecipient orcpt(RcptParameters p) {
        return p.orcpt().map(o -> new OriginalRecipient(o.addressType(), o.address())).orElse(null);
    }
}
