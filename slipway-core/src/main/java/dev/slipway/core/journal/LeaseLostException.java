package dev.slipway.core.journal;

import dev.slipway.core.ErrorCode;
import dev.slipway.core.SlipwayException;

/** A fenced write was refused: another process holds the stage now. The refused holder must stop acting at once. */
public final class LeaseLostException extends SlipwayException {
    private static final long serialVersionUID = 1L;

    public LeaseLostException(String message) {
        super(ErrorCode.NEEDS_ATTENTION, message);
    }
}
