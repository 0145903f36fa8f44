package org.imageferry.export;

import org.springframework.batch.infrastructure.item.ItemProcessor;

import org.imageferry.ledger.ImageRecord;

/**
 * The {@code preflight} step's processor: an image in, the image with its verdict out.
 */
public class PreflightProcessor implements ItemProcessor<ImageRecord, PreflightProcessor.Checked> {

	/** An image and what pre-flight said of it. */
	public record Checked(ImageRecord image, Preflight.Verdict verdict) {
	}

	private final Preflight preflight;

	public PreflightProcessor(Preflight preflight) {
		this.preflight = preflight;
	}

	@Override
	public Checked process(ImageRecord image) {
		return new Checked(image, this.preflight.check(image.sourceImageId()));
	}

}
