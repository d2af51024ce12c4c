/**
 * @module components/tile
 * One headline figure with its label and a short note saying what it counts.
 */
export function Tile(props: { label: string; value: string; note?: string; testId?: string }) {
  return (
    <div class="tile">
      <p class="tile-label">{props.label}</p>
      <p class="tile-value" data-testid={props.testId}>
        {props.value}
      </p>
      {props.note ? <p class="tile-note">{props.note}</p> : null}
    </div>
  );
}
