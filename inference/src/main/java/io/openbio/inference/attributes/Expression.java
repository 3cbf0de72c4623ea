package io.openbio.inference.attributes;

/** The 7 expression classes of fr_expression, in output order (FER-2013 order; index 3 = happy). */
public enum Expression {
    ANGRY, DISGUST, FEAR, HAPPY, SAD, SURPRISE, NEUTRAL
}
