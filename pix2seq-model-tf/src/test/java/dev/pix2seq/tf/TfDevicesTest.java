package dev.pix2seq.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pix2seq.api.config.Device;
import dev.pix2seq.api.config.ModelConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.ConfigProto;

class TfDevicesTest {

  @AfterEach
  void clearProperties() {
    System.clearProperty(TfDevices.INTRA_OP_THREADS);
    System.clearProperty(TfDevices.INTER_OP_THREADS);
    System.clearProperty(TfDevices.STEPS_IN_CALLER_THREAD);
  }

  @Test
  void stepsRunInTheCallerThreadUnlessTurnedOff() {
    assertTrue(TfDevices.stepsInCallerThread());
    assertEquals(-1, TfDevices.IN_CALLER_THREAD.getInterOpThreadPool());
    System.setProperty(TfDevices.STEPS_IN_CALLER_THREAD, "false");
    assertFalse(TfDevices.stepsInCallerThread());
    System.setProperty(TfDevices.STEPS_IN_CALLER_THREAD, "yes");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, TfDevices::stepsInCallerThread);
    assertEquals("system property pix2seq.tf.stepsInCallerThread must be true or false, found "
        + "'yes'", e.getMessage());
  }

  private static final ModelConfig NARROW = ModelConfig.preset("tiny");
  private static final ModelConfig WIDE = ModelConfig.preset("official-vit-b-640");

  @Test
  void oneIntraOpThreadForANarrowDecoderAndTensorFlowsChoiceOtherwise() {
    assertTrue(NARROW.decoderWidth() <= TfDevices.NARROW_DECODER);
    assertTrue(WIDE.decoderWidth() > TfDevices.NARROW_DECODER);
    ConfigProto config = TfDevices.sessionConfig(Device.CPU, NARROW);
    assertEquals(1, config.getIntraOpParallelismThreads());
    assertEquals(0, config.getInterOpParallelismThreads());
    assertEquals(0, config.getDeviceCountOrDefault("GPU", -1));
    assertEquals(0, TfDevices.sessionConfig(Device.CPU, WIDE).getIntraOpParallelismThreads());
  }

  @Test
  void thePropertiesSetThePools() {
    System.setProperty(TfDevices.INTRA_OP_THREADS, "4");
    System.setProperty(TfDevices.INTER_OP_THREADS, " 3 ");
    ConfigProto config = TfDevices.sessionConfig(Device.CPU, NARROW);
    assertEquals(4, config.getIntraOpParallelismThreads());
    assertEquals(3, config.getInterOpParallelismThreads());
  }

  @Test
  void aBadValueIsOneClearError() {
    System.setProperty(TfDevices.INTRA_OP_THREADS, "two");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TfDevices.sessionConfig(Device.CPU, NARROW));
    assertEquals("system property pix2seq.tf.intraOpThreads must be a whole number >= 0 (0: one "
        + "per core), found 'two'", e.getMessage());
    System.setProperty(TfDevices.INTRA_OP_THREADS, "-1");
    assertThrows(IllegalArgumentException.class, () -> TfDevices.sessionConfig(Device.CPU, NARROW));
  }
}
