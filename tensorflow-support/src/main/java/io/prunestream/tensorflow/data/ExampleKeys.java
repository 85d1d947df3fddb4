package io.prunestream.tensorflow.data;

import io.prunestream.datasets.DatasetException;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.tensorflow.proto.Example;
import org.tensorflow.proto.Feature;

/**
 * Where a {@code tf.train.Example} keeps its image and its label: the declared keys, or the first of the usual ones
 * that the Example has ({@code image}, {@code image/encoded}; {@code label}, {@code image/class/label}).
 */
record ExampleKeys(String image, String label) {

    private static final List<String> IMAGES = List.of("image", "image/encoded");
    private static final List<String> LABELS = List.of("label", "image/class/label");

    /** The encoded image and the label of {@code example}; {@code where} names the record in errors. */
    ImageAndLabel read(Example example, String where) throws DatasetException {
        Map<String, Feature> features = example.getFeatures().getFeatureMap();
        String imageKey = pick(image, IMAGES, features, "image", where);
        String labelKey = pick(label, LABELS, features, "label", where);
        Feature encoded = features.get(imageKey);
        Feature number = features.get(labelKey);
        if (encoded.getBytesList().getValueCount() != 1) {
            throw new DatasetException(where + ": feature '" + imageKey + "' holds "
                    + encoded.getBytesList().getValueCount() + " byte strings, not one encoded image");
        }
        if (number.getInt64List().getValueCount() != 1) {
            throw new DatasetException(where + ": feature '" + labelKey + "' holds "
                    + number.getInt64List().getValueCount() + " int64 values, not one label");
        }
        return new ImageAndLabel(encoded.getBytesList().getValue(0).toByteArray(),
                number.getInt64List().getValue(0));
    }

    record ImageAndLabel(byte[] image, long label) {
    }

    private static String pick(String declared, List<String> usual, Map<String, Feature> features, String what,
            String where) throws DatasetException {
        if (declared != null) {
            if (!features.containsKey(declared)) {
                throw new DatasetException(where + " has no feature '" + declared + "' (the declared " + what
                        + " key); it has " + new TreeSet<>(features.keySet()));
            }
            return declared;
        }
        for (String key : usual) {
            if (features.containsKey(key)) {
                return key;
            }
        }
        throw new DatasetException(where + " has none of the " + what + " features " + usual + "; it has "
                + new TreeSet<>(features.keySet()) + " (declare the " + what + " key)");
    }
}
