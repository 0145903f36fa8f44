package org.imageferry.export;

import java.util.Map;

import org.springframework.batch.infrastructure.item.ItemProcessor;

import org.imageferry.ledger.ImageRecord;

/**
 * The {@code preflight} step's processor: an image in, the image with its verdict out —
 * each row checked with its target's {@link Preflight} (whether the image is in that
 * target already differs between targets).
 */
public class PreflightProcessor implements ItemProcessor<ImageRecord, PreflightProcessor.Checked> {

	/** An image and what pre-flight said of it. */
	public record Checked(ImageRecord image, Preflight.Verdict verdict) {
	}

	/** Each target's checks, by its route. */
	private final Map<String, Preflight> preflights;

	public PreflightProcessor(Map<String, Preflight> preflights) {
		this.preflights = Map.copyOf(preflights);
	}

	@Override
	public Checked process(ImageRecord image) {
		return new Checked(image, this.preflights.get(image.route()).check(image.sourceImageId()));
	}

}
