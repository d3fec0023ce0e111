/**
 * Keeps TensorFlow.js quiet: its CPU backend greets Node users with a banner on stderr ("Hi, looks like you
 * are running TensorFlow.js in Node.js…") the first time it holds a tensor, which every command that loads
 * a model bundle did. tfjs's production mode silences it (and its debug-time checks, which we never use).
 * Imported for its effect first thing by the CLI and by every worker thread that loads tfjs.
 */
import * as tf from '@tensorflow/tfjs';

tf.env().set('PROD', true);
